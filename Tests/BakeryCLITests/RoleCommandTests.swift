import Foundation
import Testing

/// Roles through the CLI: the roles file caps `--role`, `--read-only` gives a viewer on a read-only database, the
/// core refuses what a role may not do, and `bakery audit --json` shows every change and refusal.
@Suite("bakery roles and audit")
struct RoleCommandTests {
    /// The OS account the tests run as, which the roles file must name.
    static let account: String = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/id")
        process.arguments = ["-un"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// A runner with client `acme`, a three-row CRM file, and a roles file giving this account `role`.
    static func setUp(role: String) throws -> (BakeryRunner, file: String, env: [String: String]) {
        let bakery = try BakeryRunner()
        let added = try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"])
        #expect(added.status == 0, "\(added.stderr)")
        let file = bakery.folder.appendingPathComponent("crm.csv")
        try "email\r\na@example.nl\r\nb@example.nl\r\nc@example.nl\r\n".write(to: file, atomically: true, encoding: .utf8)
        let roles = bakery.folder.appendingPathComponent("roles.toml")
        try "version = 1\n[users]\n\(account) = \"\(role)\"\n".write(to: roles, atomically: true, encoding: .utf8)
        return (bakery, file.path, ["BAKERY_ROLES": roles.path])
    }

    static func audit(_ bakery: BakeryRunner, _ arguments: [String] = []) throws -> [[String: Any]] {
        let result = try bakery.run(["audit", "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try result.json() as? [[String: Any]])
    }

    @Test func supportMayDryRunButAnUploadIsRefusedAndAudited() throws {
        let (bakery, file, env) = try Self.setUp(role: "support")
        let dry = try bakery.run(["onboard", "acme", file, "--dry-run", "--json"], environment: env)
        #expect(dry.status == 0, "\(dry.stderr)")
        let summary = try #require(try dry.json() as? [String: Any])
        #expect(summary["matched_before"] as? Int == 0 && summary["matched_after"] as? Int == 0)
        let refused = try bakery.run(["onboard", "acme", file], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused: add crm.csv needs the ops role, and this operator is support"))
        let above = try bakery.run(["--role", "ops", "onboard", "acme", file], environment: env)
        #expect(above.status == 1)
        #expect(above.stderr.contains("--role ops is refused"), "\(above.stderr)")
        let shown = try #require(try bakery.run(["client", "show", "acme", "--json"]).json() as? [String: Any])
        #expect(shown["records"] as? Int == 0, "nothing was stored")
        let entries = try Self.audit(bakery, ["--client", "acme"])
        #expect(entries.map { $0["action"] as? String } == ["role.denied", "upload.dry_run", "client.add"])
        #expect(entries[0]["actor"] as? String == Self.account, "with a roles file the log names the OS account")
        #expect(entries[0]["role"] as? String == "support" && entries[0]["outcome"] as? String == "denied")
        #expect(entries[2]["actor"] as? String == "tester" && entries[2]["role"] as? String == "admin")
    }

    @Test func readOnlyIsAViewerWhoseDatabaseIsNotWritten() throws {
        let (bakery, file, _) = try Self.setUp(role: "admin")
        let refused = try bakery.run(["--read-only", "onboard", "acme", file, "--dry-run"])
        #expect(refused.status == 1 && refused.stderr.contains("this operator is viewer"), "\(refused.stderr)")
        let client = try bakery.run(["client", "add", "beta", "--name", "B", "--country", "NL", "--dmp", "piano", "--read-only"])
        #expect(client.status == 1 && client.stderr.contains("needs the admin role"), "\(client.stderr)")
        let stats = try bakery.run(["stats", "acme", "--read-only", "--json"])
        #expect(stats.status == 0, "a viewer reads: \(stats.stderr)")
        let export = try bakery.run(["export", "acme", "--date", "2026-11-28", "--read-only"])
        #expect(export.status == 1 && !FileManager.default.fileExists(atPath: bakery.folder.appendingPathComponent("exports").path))
        let ids = try #require(try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]]).map { $0["id"] as? String }
        #expect(ids == ["acme"])
        let denied = try Self.audit(bakery, ["--action", "role.denied"])
        #expect(denied.count == 3 && denied.allSatisfy { $0["role"] as? String == "viewer" })
    }

    @Test func aRoleThatMayNotCreateTheDatabaseLeavesNoFileBehind() throws {
        let bakery = try BakeryRunner()
        let result = try bakery.run(
            ["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium", "--role", "ops"])
        #expect(result.status == 1 && result.stderr.contains("creating one for this command needs the admin role"))
        #expect(!FileManager.default.fileExists(atPath: bakery.database))
    }

    @Test func opsMayExportAndTheRunIsAuditedWithItsFigures() throws {
        let (bakery, _, env) = try Self.setUp(role: "ops")
        let run = try bakery.run(["export", "acme", "--date", "2026-11-28", "--json", "--out", "out"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let client = try bakery.run(
            ["client", "add", "beta", "--name", "B", "--country", "NL", "--dmp", "piano"], environment: env)
        #expect(client.status == 1, "ops may not add clients")
        let exports = try Self.audit(bakery, ["--action", "export"])
        #expect(exports.count == 1 && exports[0]["client"] as? String == "acme")
        #expect((exports[0]["detail"] as? String)?.hasPrefix("2026-11-28: 0 rows") == true)
        let limited = try Self.audit(bakery, ["--limit", "1"])
        #expect(limited.count == 1 && limited[0]["action"] as? String == "role.denied")
        let text = try bakery.run(["audit"])
        #expect(text.status == 0 && text.stdout.contains("TIME") && text.stdout.contains("export.run"))
        let bad = try bakery.run(["audit", "--limit", "0"])
        #expect(bad.status == 2)
        let badRoles = try bakery.run(["stats"], environment: ["BAKERY_ROLES": bakery.folder.appendingPathComponent("none.toml").path])
        #expect(badRoles.status == 1 && badRoles.stderr.contains("does not exist"))
    }
}
