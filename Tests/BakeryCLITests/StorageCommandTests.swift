import Foundation
import Testing

/// `bakery storage`, `watch` without a folder, `export --deliver` and `deliver`, on local-folder locations; the same
/// commands against real S3 and SFTP servers are in scripts/e2e-storage.
@Suite("bakery storage")
struct StorageCommandTests {
    static func setUp() throws -> (BakeryRunner, URL) {
        let bakery = try BakeryRunner()
        let added = try bakery.run([
            "client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "piano", "--audience", "AUD-1",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        return (bakery, bakery.folder)
    }

    static func folder(_ root: URL, _ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func locationsAreAddedListedTestedAndRemovedWithoutSecrets() throws {
        let (bakery, root) = try Self.setUp()
        let intake = try Self.folder(root, "in")
        let add = try bakery.run(["storage", "add", "acme", "intake", "file://\(intake.path)/", "--json"])
        #expect(add.status == 0, "\(add.stderr)")
        let stored = try #require(try add.json() as? [String: Any])
        #expect(stored["role"] as? String == "intake" && stored["url"] as? String == "file://\(intake.path)/")
        let s3 = try bakery.run([
            "storage", "add", "acme", "delivery", "s3://da-production-transfer-acme/", "--region", "eu-central-1",
            "--access-key-variable", "ACME_KEY_ID", "--secret-key-variable", "ACME_SECRET",
        ], environment: ["ACME_SECRET": "do-not-print-me"])
        #expect(s3.status == 0, "\(s3.stderr)")
        let list = try bakery.run(["storage", "list"])
        #expect(list.stdout.contains("s3://da-production-transfer-acme/") && list.stdout.contains("$ACME_SECRET"))
        let show = try bakery.run(["storage", "show", "acme", "--json"], environment: ["ACME_SECRET": "do-not-print-me"])
        let shown = try show.json() as? [[String: Any]]
        #expect(show.status == 0 && shown?.count == 2)
        #expect(!(list.stdout + show.stdout + s3.stderr).contains("do-not-print-me"), "a secret is never printed")
        let test = try bakery.run(["storage", "test", "acme", "--only", "intake", "--json"])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        let checks = try #require((try test.json() as? [[String: Any]])?.first?["checks"] as? [[String: Any]])
        #expect(checks.map { $0["step"] as? String } == ["folder", "list", "write"])
        let ambiguous = try bakery.run(["storage", "remove", "acme"])
        #expect(ambiguous.status == 1 && ambiguous.stderr.contains("say which"), "\(ambiguous.stderr)")
        #expect(try bakery.run(["storage", "remove", "acme", "--only", "delivery"]).status == 0)
        #expect((try bakery.run(["storage", "list", "acme", "--json"]).json() as? [[String: Any]])?.count == 1)
        let audit = try bakery.run(["audit", "--action", "storage", "--json"])
        #expect((try audit.json() as? [[String: Any]])?.count == 3, "two additions and a removal audited")
    }

    @Test func badLocationsAreRefusedSayingWhatAndWhere() throws {
        let (bakery, root) = try Self.setUp()
        let cases: [([String], String)] = [
            (["storage", "add", "acme", "intake", "ftp://x/"], "the scheme must be s3, sftp or file"),
            (["storage", "add", "acme", "intake", "sftp://u:pw@host/"], "a password never goes into the URL"),
            (["storage", "add", "nobody", "intake", "s3://bucket/"], "no client with id 'nobody'"),
            (["storage", "add", "acme", "intake", "s3://bucket/", "--known-hosts", "/etc/hostname"], "for sftp:// locations"),
            (["storage", "add", "acme", "intake", "s3://bucket/", "--key-file", "/nonexistent"], "/nonexistent"),
            (["storage", "test", "acme"], "has no such storage location"),
        ]
        for (arguments, message) in cases {
            let result = try bakery.run(arguments)
            #expect(result.status == 1 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains(":pw@"), "the password is not repeated")
        }
        let missing = try bakery.run(["storage", "add", "acme", "delivery", "file://\(root.path)/nope/"])
        #expect(missing.status == 0)
        let test = try bakery.run(["storage", "test", "acme"])
        #expect(test.status == 1 && test.stdout.contains("FAILED folder") && test.stdout.contains("[missingLocation]"))
        // A location that cannot be opened (no S3 keys here) says why, and the local ones are still polled.
        #expect(try bakery.run(["storage", "add", "acme", "intake", "s3://acme-crm/"]).status == 0)
        let noKeys = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]
        let s3 = try bakery.run(["storage", "test", "acme", "--only", "intake"], environment: noKeys)
        #expect(s3.status == 1 && s3.stdout.contains("[configuration]"), "\(s3.stdout)")
        let watch = try bakery.run(["watch", "--once", "--interval", "0.1"], environment: noKeys)
        #expect(watch.status == 0 && watch.stderr.contains("s3://acme-crm/ (acme): "), "\(watch.stderr)")
        #expect(watch.stderr.contains("no S3 credentials"), "says which secret is missing: \(watch.stderr)")
        let viewer = try bakery.run(["storage", "add", "acme", "intake", "s3://bucket/", "--role", "viewer"])
        #expect(viewer.status == 1 && viewer.stderr.contains("refused"))
    }

    @Test func watchWithoutAFolderPollsTheIntakeLocationsAndExportDeliverPutsTheDay() throws {
        let (bakery, root) = try Self.setUp()
        let intake = try Self.folder(root, "in")
        let out = try Self.folder(root, "out")
        #expect(try bakery.run(["storage", "add", "acme", "intake", "file://\(intake.path)/"]).status == 0)
        let arrival = intake.appendingPathComponent("onboard/audience=AUD-1/opt-in/20261130_010000.csv")
        try FileManager.default.createDirectory(at: arrival.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "email\nann@example.nl\nbob@example.nl\n".write(to: arrival, atomically: true, encoding: .utf8)
        let watch = try bakery.run(["watch", "--once", "--interval", "0.2", "--json"])
        #expect(watch.status == 0, "\(watch.stderr)")
        #expect((try watch.json() as? [[String: Any]])?.first?["disposition"] as? String == "deleted")
        #expect(!FileManager.default.fileExists(atPath: arrival.path), "the plain file is deleted once applied")

        let noDelivery = try bakery.run(["export", "acme", "--date", "2026-11-29", "--deliver"])
        #expect(noDelivery.status == 1 && noDelivery.stderr.contains("has no delivery location"))
        #expect(try bakery.run(["storage", "add", "acme", "delivery", "file://\(out.path)/"]).status == 0)
        let export = try bakery.run(["export", "acme", "--date", "2026-11-29", "--deliver", "--json",
            "--out", root.appendingPathComponent("exports").path])
        #expect(export.status == 0, "\(export.stderr)")
        let document = try #require(try export.json() as? [String: Any])
        #expect(document["delivery"] as? String == "delivered")
        #expect(document["delivered_to"] as? String == "file://\(out.path)/exports/piano/acme_2026-11-29.csv.gz")
        for name in ["acme_2026-11-29.csv.gz", "acme_2026-11-29.manifest.json", "acme_2026-11-29.done"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("exports/piano/\(name)").path), "\(name)")
        }
        let again = try bakery.run(["deliver", "acme", "--date", "2026-11-29", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect((try again.json() as? [String: Any])?["delivery"] as? String == "delivered")
        let none = try bakery.run(["deliver", "acme", "--date", "2026-11-01"])
        #expect(none.status == 1 && none.stderr.contains("no succeeded export of 2026-11-01"))
    }
}
