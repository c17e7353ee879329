import Foundation
import Testing

@Suite("bakery export")
struct ExportCommandTests {
    @Test func previewWritesNothingAndTheExportAgreesWithIt() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "2000", "--clients", "2"])
        let out = bakery.folder.appendingPathComponent("out").path
        let preview = try #require(try bakery.run(["export", "zuiderzee", "--preview", "--out", out, "--json"]).json() as? [String: Any])
        #expect(!FileManager.default.fileExists(atPath: out), "preview writes nothing")
        let rows = try #require(preview["rows"] as? Int)
        #expect(rows > 0 && (preview["sample"] as? [[String]])?.first?.count == 2)
        let run = try #require(try bakery.run(["export", "zuiderzee", "--out", out, "--json"]).json() as? [String: Any])
        #expect(run["rows"] as? Int == rows)
        #expect((run["sha256"] as? String)?.count == 64)
        #expect(FileManager.default.fileExists(atPath: try #require(run["file"] as? String)))
        let again = try #require(try bakery.run(["export", "zuiderzee", "--out", out, "--json"]).json() as? [String: Any])
        #expect(again["sha256"] as? String == run["sha256"] as? String)
    }

    @Test func allWithADateExportsEveryClient() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "900", "--clients", "3"])
        let out = bakery.folder.appendingPathComponent("out").path
        let runs = try #require(try bakery.run(["export", "--all", "--date", "2026-11-20", "--out", out, "--json"]).json() as? [[String: Any]])
        #expect(runs.count == 3 && runs.allSatisfy { $0["outcome"] as? String == "succeeded" })
    }

    @Test(arguments: [
        ["export"], ["export", "acme", "--all"], ["export", "acme", "--date", "2026-02-30"], ["export", "acme", "--date", "yesterday"],
    ])
    func badUsageIsExitTwo(arguments: [String]) throws {
        #expect(try BakeryRunner().run(arguments).status == 2)
    }

    @Test func anUnknownClientIsExitOne() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "A", "--country", "NL", "--dmp", "tealium"])
        let result = try bakery.run(["export", "nope"])
        #expect(result.status == 1 && result.stderr.contains("no client with id 'nope'"))
    }
}
