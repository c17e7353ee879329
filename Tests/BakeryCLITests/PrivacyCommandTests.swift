import BakeryCore
import Crypto
import Foundation
import Testing

/// `bakery purge` and `bakery erase` through the CLI: what they remove and report, what they keep, who may run
/// them, and the bad input they refuse.
@Suite("bakery purge and erase")
struct PrivacyCommandTests {
    static func json(_ bakery: BakeryRunner, _ arguments: [String]) throws -> [String: Any] {
        let result = try bakery.run(arguments + ["--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try result.json() as? [String: Any])
    }

    /// The pairs `sync lookup --da-id` shows.
    static func lookup(_ bakery: BakeryRunner, _ daID: String) throws -> [[String: Any]] {
        let result = try bakery.run(["sync", "lookup", "--da-id", daID, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try result.json() as? [[String: Any]])
    }

    static func sha256(_ file: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: file))).map { String(format: "%02x", $0) }.joined()
    }

    static func day(_ offset: Int) -> String { Day(Date()).adding(days: offset).description }

    @Test func purgeRemovesOnlyWhatIsOlderReportsItPerClientAndKeepsKeptDaysReproducible() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "1500", "--clients", "2"])
        let out = bakery.folder.appendingPathComponent("exports").path
        let kept = try Self.json(bakery, ["export", "zuiderzee", "--date", Self.day(-3), "--out", out])
        let old = try Self.json(bakery, ["export", "zuiderzee", "--date", Self.day(-25), "--out", out])
        #expect((old["rows"] as? Int ?? 0) > 0)
        let cutoff = Day(Date()).adding(days: -20).number
        let newerBefore = try bakery.sql("SELECT count(*) FROM sync_day WHERE day >= \(cutoff)")
        let olderBefore = try Int(bakery.sql("SELECT count(*) FROM sync_day WHERE day < \(cutoff)")) ?? 0
        #expect(olderBefore > 0)

        let report = try Self.json(bakery, ["purge", "--older-than", "20", "--keep-audit-days", "730", "--export-dir", out])
        let clients = try #require(report["clients"] as? [String: [String: Int]])
        #expect(Set(clients.keys) == ["zuiderzee", "polder-energie"], "\(clients)")
        #expect(clients.values.reduce(0) { $0 + ($1["sync_activity"] ?? 0) } == olderBefore)
        #expect((report["export_files"] as? [String: Int]) == ["zuiderzee": 3], "data file, manifest, marker")
        #expect((report["before"] as? [String: String])?["sync"] == Self.day(-20))
        #expect((report["kept_days"] as? [String: Int])?["audit_days"] == 730)
        #expect(try bakery.sql("SELECT count(*) FROM sync_day WHERE day < \(cutoff)") == "0")
        #expect(try bakery.sql("SELECT count(*) FROM sync_day WHERE day >= \(cutoff)") == newerBefore)
        #expect(!FileManager.default.fileExists(atPath: try #require(old["file"] as? String)))
        #expect(FileManager.default.fileExists(atPath: try #require(kept["file"] as? String)))

        let again = try Self.json(bakery, ["export", "zuiderzee", "--date", Self.day(-3), "--out", out + "-again"])
        #expect(again["rows"] as? Int == kept["rows"] as? Int)
        #expect(try Self.sha256(try #require(again["file"] as? String)) == kept["sha256"] as? String)

        let second = try Self.json(bakery, ["purge", "--older-than", "20", "--keep-audit-days", "730", "--export-dir", out])
        #expect((second["clients"] as? [String: Any])?.isEmpty == true, "a second purge finds nothing")
        let audit = try #require(try bakery.run(["audit", "--action", "privacy.purge", "--json"]).json() as? [[String: Any]])
        #expect(audit.count == 2 && (audit.last?["detail"] as? String)?.contains("3 export files; 2 clients") == true)

        let text = try bakery.run(["purge", "--older-than", "20"])
        #expect(text.status == 0 && text.stdout.contains("No client had anything to remove."), "\(text.stdout)")
    }

    @Test(arguments: [
        ["purge", "--older-than", "0"], ["purge", "--older-than", "3651"], ["purge", "--keep-sync-days", "-1"],
        ["purge", "--older-than", "ten"], ["erase"], ["erase", "--da-id", "0123456789abcdef0123456789abcdef", "--hash", "ab"],
        ["erase", "--hash", "abc"], ["erase", "--da-id", "0123456789ABCDEF0123456789ABCDEF"], ["erase", "--cookie", "p1"],
        ["erase", "--cookie", "p1", "c", "d"], ["erase", "--da-id", "0123456789abcdef0123456789abcdef", "--reference", "a\nb"],
    ])
    func badUsageIsExitTwoAndChangesNothing(arguments: [String]) throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"])
        let result = try bakery.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        let option = arguments.last { $0.hasPrefix("--") } ?? "--da-id"
        #expect(result.stderr.contains(option), "names the option: \(result.stderr)")
        #expect(try bakery.sql("SELECT count(*) FROM audit WHERE action LIKE 'privacy.%'") == "0")
    }

    @Test func supportMayNotPurgeAndOpsMayNotEraseBothAudited() throws {
        let (bakery, _, support) = try RoleCommandTests.setUp(role: "support")
        let purge = try bakery.run(["purge", "--older-than", "30"], environment: support)
        #expect(purge.status == 1 && purge.stderr.contains("needs the ops role"), "\(purge.stderr)")
        let roles = bakery.folder.appendingPathComponent("roles.toml")
        try "version = 1\n[users]\n\(RoleCommandTests.account) = \"ops\"\n".write(to: roles, atomically: true, encoding: .utf8)
        #expect(try bakery.run(["purge", "--older-than", "30"], environment: support).status == 0, "ops may purge")
        let erase = try bakery.run(["erase", "--da-id", "0123456789abcdef0123456789abcdef"], environment: support)
        #expect(erase.status == 1 && erase.stderr.contains("needs the admin role"), "\(erase.stderr)")
        let denied = try RoleCommandTests.audit(bakery, ["--action", "role.denied"])
        #expect(denied.count == 2)
        #expect(try RoleCommandTests.audit(bakery, ["--action", "privacy.erase"]).isEmpty)
    }

    @Test func erasingADAIDRemovesItsPairsAtEveryClient() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "1500", "--clients", "3"])
        // A DA id synced at more than one client, if the demo has one, else the one with the most pairs.
        let daID = try bakery.sql(
            "SELECT da_id FROM sync_pair GROUP BY da_id ORDER BY count(DISTINCT client_id) DESC, count(*) DESC LIMIT 1")
        let pairs = try bakery.sql("SELECT client_id || ':' || count(*) FROM sync_pair WHERE da_id = '\(daID)' GROUP BY client_id ORDER BY client_id")
        #expect(try Self.lookup(bakery, daID).count == pairs.split(separator: "\n").reduce(0) { $0 + Int($1.split(separator: ":")[1])! })

        let report = try Self.json(bakery, ["erase", "--da-id", daID, "--reference", "DSR-118"])
        let clients = try #require(report["clients"] as? [String: [String: Int]])
        #expect(clients.keys.sorted().map { "\($0):\(clients[$0]!["sync_pairs"]!)" }.joined(separator: "\n") == pairs)
        #expect(try bakery.sql("SELECT count(*) FROM sync_pair WHERE da_id = '\(daID)'") == "0")
        #expect(try bakery.sql("SELECT count(*) FROM graph_edge WHERE node = '\(daID)'") == "0")
        #expect(try Self.lookup(bakery, daID).isEmpty)

        let audit = try #require(try bakery.run(["audit", "--action", "privacy.erase", "--json"]).json() as? [[String: Any]])
        let detail = try #require(audit.first?["detail"] as? String)
        #expect(detail.contains("DA id:") && detail.contains("request DSR-118") && !detail.contains(daID))
        let again = try bakery.run(["erase", "--da-id", daID])
        #expect(again.status == 0 && again.stdout.contains("Nothing held for this DA id"), "\(again.stdout)")
    }

    @Test func erasingAHashRemovesTheRecordsHoldingItAtEveryClient() throws {
        let bakery = try OnboardCommandTests.runner()
        let file = try OnboardCommandTests.write(
            bakery, "crm.csv", "email,custom\n  Jane.Doe@Example.com ,r1\nother@example.com,r2\n")
        for client in ["acme", "sven"] { _ = try OnboardCommandTests.onboard(bakery, [client, file]) }
        let hash = SHA256.hash(data: Data("jane.doe@example.com".utf8)).map { String(format: "%02x", $0) }.joined()

        let report = try Self.json(bakery, ["erase", "--hash", hash.uppercased()])
        let clients = try #require(report["clients"] as? [String: [String: Int]])
        #expect(clients.mapValues { $0["records"] } == ["acme": 1, "sven": 1])
        #expect(try OnboardCommandTests.figures(bakery, "acme").records == 1)
        #expect(try OnboardCommandTests.figures(bakery, "sven").records == 1)
        #expect(try bakery.sql("SELECT count(*) FROM crm_record WHERE record_id = 'r1'") == "0")

        let text = try bakery.run(["erase", "--hash", hash])
        #expect(text.status == 0 && text.stdout.contains("Nothing held for this identifier hash"))
    }
}
