import Foundation
import Testing

@Suite("bakery graph import")
struct GraphCommandTests {
    static let da = "0123456789abcdef0123456789abcdef"
    /// SHA-256 of `john.sam@mail.com`, the published test vector.
    static let email = "a7df77a9db89b44110c704b680a24978579a3069b419db95cbda84541094adba"
    static let phone = String(repeating: "ab", count: 32)

    static func write(_ bakery: BakeryRunner, _ name: String, _ text: String) throws -> String {
        let url = bakery.folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func importsEdgesAndReportsRejectedRows() throws {
        let bakery = try BakeryRunner()
        let file = try Self.write(
            bakery, "edges.csv",
            "da_id,email_sha256,phone_sha256,last_seen\r\n"
                + "\(Self.da),\(Self.email),\(Self.phone),2026-11-01T00:00:00Z\r\n"
                + "\(Self.da.uppercased()),\(Self.email),,\r\n"
                + "\(Self.da),nothex,,\r\n")
        let result = try bakery.run(["graph", "import", file, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try result.json() as? [String: Any])
        #expect(summary["rows"] as? Int == 3)
        #expect(summary["accepted"] as? Int == 1)
        #expect(summary["edges"] as? Int == 2)
        #expect(summary["rejected"] as? [String: Int] == ["invalid_da_id": 1, "invalid_hash": 1])
        #expect(summary["seconds"] is Double)
        let report = try String(contentsOfFile: file + ".rejections.csv", encoding: .utf8)
        #expect(
            report
                == "row,line,reason,column,masked_value\r\n2,3,invalid_da_id,da_id,0***EF\r\n3,4,invalid_hash,email_sha256,***\r\n"
        )
        let again = try bakery.run(["graph", "import", file])
        #expect(again.status == 0)
        #expect(again.stdout.contains("edges             2"), "\(again.stdout)")
    }

    @Test func deviceFilesLoadFromGzip() throws {
        let bakery = try BakeryRunner()
        let plain = try Self.write(
            bakery, "devices.csv",
            "Device ID,Device Type,hashed_email\n6D92078A-8246-4BA4-AE5B-76104861E7DC,IDFA,\(Self.email)\n")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [plain]
        try gzip.run()
        gzip.waitUntilExit()
        let result = try bakery.run(["graph", "import", plain + ".gz", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try result.json() as? [String: Any])
        #expect(summary["edges"] as? Int == 1 && summary["accepted"] as? Int == 1)
    }

    @Test func aFileThatCannotWorkFailsWithExitOneAndStoresNothing() throws {
        let bakery = try BakeryRunner()
        let noNode = try Self.write(bakery, "nonode.csv", "email_sha256\n\(Self.email)\n")
        let refused = try bakery.run(["graph", "import", noNode, "--json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no node column"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        let missing = try bakery.run(["graph", "import", bakery.folder.appendingPathComponent("none.csv").path])
        #expect(missing.status == 1 && missing.stderr.contains("no file at"))
        let usage = try bakery.run(["graph", "import"])
        #expect(usage.status == 2)
    }

    /// All or nothing: a file whose end is corrupt leaves no edge from its good first rows.
    @Test func aTruncatedGzipStoresNothing() throws {
        let bakery = try BakeryRunner()
        var text = "da_id,email_sha256\n"
        for index in 0..<20_000 {
            text += String(format: "%032x", index + 1) + ",\(Self.email)\n"
        }
        let plain = try Self.write(bakery, "big.csv", text)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [plain]
        try gzip.run()
        gzip.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        let cut = bakery.folder.appendingPathComponent("cut.csv.gz")
        try data.prefix(data.count * 2 / 3).write(to: cut)
        let good = try Self.write(bakery, "one.csv", "da_id,email_sha256\n\(Self.da),\(Self.email)\n")
        #expect(try bakery.run(["graph", "import", good]).status == 0)
        #expect(try Self.storedEdges(bakery) == "1")
        let failed = try bakery.run(["graph", "import", cut.path])
        #expect(failed.status == 1, "\(failed.stdout)")
        #expect(try Self.storedEdges(bakery) == "1", "no edge of the truncated file is stored")
    }

    /// The edge count, read with the sqlite3 shell: no command lists the whole graph.
    static func storedEdges(_ bakery: BakeryRunner) throws -> String {
        try bakery.sql("SELECT count(*) FROM graph_edge")
    }
}
