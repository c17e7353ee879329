import Foundation
import Testing

@Suite("bakery sync lookup")
struct SyncLookupTests {
    /// One stored pair of the demo data, read with the sqlite3 command line: (partner, cookie id, DA id).
    func anyPair(_ bakery: BakeryRunner) throws -> [String] {
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [bakery.database, "SELECT partner, cookie_id, da_id FROM sync_pair ORDER BY id LIMIT 1"]
        let out = Pipe()
        sqlite.standardOutput = out
        try sqlite.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sqlite.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "|")
    }

    @Test func findsAPairByCookieAndByDAID() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "600", "--clients", "2"])
        let pair = try anyPair(bakery)
        try #require(pair.count == 3)
        let byCookie = try #require(try bakery.run(["sync", "lookup", pair[0], pair[1], "--json"]).json() as? [[String: Any]])
        #expect(byCookie.count == 1)
        #expect(byCookie.first?["da_id"] as? String == pair[2])
        #expect(Set(byCookie[0].keys).isSuperset(of: ["partner", "cookie_id", "da_id", "site", "first_seen", "last_seen", "hits"]))
        let byDA = try #require(try bakery.run(["sync", "lookup", "--da-id", pair[2], "--json"]).json() as? [[String: Any]])
        #expect(byDA.contains { $0["cookie_id"] as? String == pair[1] })
        let text = try bakery.run(["sync", "lookup", pair[0], pair[1]])
        #expect(text.status == 0 && text.stdout.contains(pair[2]))
    }

    @Test func nothingFoundIsAnEmptyArrayAndAnUnknownPartnerIsAnError() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "A", "--country", "NL", "--dmp", "tealium"])
        let none = try bakery.run(["sync", "lookup", "acme", "no-such-cookie", "--json"])
        #expect(none.status == 0)
        #expect((try none.json() as? [Any])?.isEmpty == true)
        let unknown = try bakery.run(["sync", "lookup", "nope", "c"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no client has partner key 'nope'"))
    }

    @Test(arguments: [["sync", "lookup"], ["sync", "lookup", "acme"], ["sync", "lookup", "acme", "c", "--da-id", "x"]])
    func partialArgumentsAreBadUsage(arguments: [String]) throws {
        let result = try BakeryRunner().run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("give either PARTNER and COOKIE, or --da-id ID"))
    }
}
