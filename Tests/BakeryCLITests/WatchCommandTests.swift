import Foundation
import Testing

@Suite("bakery watch")
struct WatchCommandTests {
    /// A runner with client `acme` (NL, audience `AUD-1`) and a drop zone folder.
    static func setUp() throws -> (BakeryRunner, URL) {
        let bakery = try BakeryRunner()
        let added = try bakery.run([
            "client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium", "--audience", "AUD-1",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let zone = bakery.folder.appendingPathComponent("zone")
        try FileManager.default.createDirectory(at: zone, withIntermediateDirectories: true)
        return (bakery, zone)
    }

    static func drop(_ zone: URL, _ path: String, _ text: String) throws {
        let url = zone.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func exists(_ zone: URL, _ path: String) -> Bool {
        FileManager.default.fileExists(atPath: zone.appendingPathComponent(path).path)
    }

    static func receipt(_ zone: URL, _ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: zone.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func records(_ bakery: BakeryRunner) throws -> Int {
        let shown = try #require(try bakery.run(["client", "show", "acme", "--json"]).json() as? [String: Any])
        return shown["records"] as! Int
    }

    static let hashes = (1...3).map { String(repeating: "\($0)", count: 64) }

    @Test func filesAreAppliedInTimestampOrderThenMovedOrDeletedWithReceipts() throws {
        let (bakery, zone) = try Self.setUp()
        // replace/ sorts after opt-in/ by path, but its timestamp is earlier: it must run first.
        try Self.drop(zone, "onboard/audience=AUD-1/replace/20261101_080000.csv", "email\na@x.nl\nb@x.nl\nc@x.nl\n")
        try Self.drop(
            zone, "onboard/audience=AUD-1/opt-in/20261102_080000.csv",
            "email_sha256,custom\n" + Self.hashes.enumerated().map { "\($1),id\($0)" }.joined(separator: "\n") + "\n")
        let result = try bakery.run(["watch", zone.path, "--once", "--interval", "0.2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let receipts = try #require(try result.json() as? [[String: Any]])
        #expect(
            receipts.map { $0["file"] as? String } == [
                "onboard/audience=AUD-1/replace/20261101_080000.csv",
                "onboard/audience=AUD-1/opt-in/20261102_080000.csv",
            ])
        #expect(try Self.records(bakery) == 6, "replace first, then add")
        // The plain file is deleted; the hashed one is kept in processed/.
        #expect(!Self.exists(zone, "onboard/audience=AUD-1/replace/20261101_080000.csv"))
        #expect(!Self.exists(zone, "processed/audience=AUD-1/replace/20261101_080000.csv"))
        #expect(!Self.exists(zone, "onboard/audience=AUD-1/opt-in/20261102_080000.csv"))
        #expect(Self.exists(zone, "processed/audience=AUD-1/opt-in/20261102_080000.csv"))
        let plain = try Self.receipt(zone, "processed/audience=AUD-1/replace/20261101_080000.csv.receipt.json")
        #expect(plain["status"] as? String == "applied")
        #expect(plain["disposition"] as? String == "deleted")
        #expect(plain["client"] as? String == "acme")
        #expect(plain["mode"] as? String == "replace")
        #expect(plain["records_after"] as? Int == 3)
        let hashed = try Self.receipt(zone, "processed/audience=AUD-1/opt-in/20261102_080000.csv.receipt.json")
        #expect(hashed["disposition"] as? String == "processed")
        #expect(hashed["accepted"] as? Int == 3)
        #expect(result.stderr.contains("20261102_080000.csv: add for acme: 3 rows"), "\(result.stderr)")
        // The same file dropped again is applied again (adds nothing) and gets its own receipt.
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/20261102_080000.csv", "email\na@x.nl\n")
        #expect(try bakery.run(["watch", zone.path, "--once", "--interval", "0.2"]).status == 0)
        #expect(Self.exists(zone, "processed/audience=AUD-1/opt-in/20261102_080000-2.csv.receipt.json"))
        #expect(try Self.records(bakery) == 6)
    }

    @Test func failuresAndMalformedPathsGoToFailedAndNeverBlockTheRest() throws {
        let (bakery, zone) = try Self.setUp()
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/20261101_080000.csv", "email\r\n")
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/20261101_090000.csv", "email\nnope\n")
        try Self.drop(zone, "onboard/audience=NOBODY/opt-in/20261101_100000.csv", "email\na@x.nl\n")
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/customers.csv", "email\na@x.nl\n")
        try Self.drop(zone, "onboard/audience=AUD-1/sometimes/20261101_110000.csv", "email\na@x.nl\n")
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/20261301_000000.csv", "email\na@x.nl\n")
        try Self.drop(zone, "onboard/audience=AUD-1/replace/20261102_000000.csv", "email\nx\n")
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/20261103_080000.csv.gz", "not gzip at all")
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/20261104_080000.csv", "email\nlast@x.nl\n")
        try Self.drop(zone, "onboard/audience=AUD-1/opt-in/.20261105_080000.csv.part", "email\nhidden@x.nl\n")
        let result = try bakery.run(["watch", zone.path, "--once", "--interval", "0.2"])
        #expect(result.status == 1, "a failed file makes --once fail")
        #expect(try Self.records(bakery) == 1, "the last good file is applied: \(result.stderr)")
        #expect(Self.exists(zone, "processed/audience=AUD-1/opt-in/20261104_080000.csv.receipt.json"))
        #expect(
            Self.exists(zone, "processed/audience=AUD-1/opt-in/20261101_090000.csv.rejections.csv"),
            "all rows rejected in add mode is still an applied upload")
        for (path, status, message) in [
            ("audience=AUD-1/opt-in/20261101_080000.csv", "failed", "no data rows"),
            ("audience=NOBODY/opt-in/20261101_100000.csv", "failed", "no client has audience id 'NOBODY'"),
            ("audience=AUD-1/opt-in/customers.csv", "malformed", "YYYYMMDD_HHmmss"),
            ("audience=AUD-1/sometimes/20261101_110000.csv", "malformed", "opt-in, opt-out, replace"),
            ("audience=AUD-1/opt-in/20261301_000000.csv", "malformed", "YYYYMMDD_HHmmss"),
            ("audience=AUD-1/replace/20261102_000000.csv", "failed", "would remove every record"),
            ("audience=AUD-1/opt-in/20261103_080000.csv.gz", "failed", "gzip"),
        ] {
            #expect(Self.exists(zone, "failed/\(path)"), "\(path) kept in failed/")
            #expect(!Self.exists(zone, "onboard/\(path)"), "\(path) gone from onboard/")
            let receipt = try Self.receipt(zone, "failed/\(path).receipt.json")
            #expect(receipt["status"] as? String == status, "\(path)")
            #expect((receipt["error"] as? String)?.contains(message) == true, "\(path): \(receipt["error"] ?? "")")
            #expect(result.stderr.contains("onboard/\(path)"), "\(path) reported on stderr")
        }
        #expect(
            Self.exists(zone, "failed/audience=AUD-1/replace/20261102_000000.csv.rejections.csv"), "report beside it")
        #expect(
            Self.exists(zone, "onboard/audience=AUD-1/opt-in/.20261105_080000.csv.part"), "hidden files are left alone")
    }

    @Test func aFileStillBeingWrittenWaitsForTheNextPoll() throws {
        let (bakery, zone) = try Self.setUp()
        let path = "onboard/audience=AUD-1/opt-in/20261101_080000.csv"
        try Self.drop(zone, path, "email\na@x.nl\n")
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = ["watch", zone.path, "--once", "--interval", "1"]
        process.environment = ["BAKERY_DB": bakery.database]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // The file grows for as long as the poll runs, so its two looks never see the same size. Blocking sleeps keep
        // the pace under load, where a task's sleep may wake late.
        let handle = try FileHandle(forWritingTo: zone.appendingPathComponent(path))
        try handle.seekToEnd()
        try process.run()
        var appended = 1
        while process.isRunning {
            try handle.write(contentsOf: Data("more\(appended)@x.nl\n".utf8))
            appended += 1
            usleep(50_000)
        }
        try handle.close()
        #expect(process.terminationStatus == 0)
        #expect(Self.exists(zone, path), "left for the next poll")
        #expect(try Self.records(bakery) == 0)
        #expect(try bakery.run(["watch", zone.path, "--once", "--interval", "0.2"]).status == 0)
        #expect(!Self.exists(zone, path))
        #expect(try Self.records(bakery) == appended)
    }

    @Test func withoutOnceItKeepsPollingUntilStopped() throws {
        let (bakery, zone) = try Self.setUp()
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = ["watch", zone.path, "--interval", "0.2"]
        process.environment = ["BAKERY_DB": bakery.database]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        for (index, stamp) in ["20261101_080000", "20261102_080000"].enumerated() {
            try Self.drop(zone, "onboard/audience=AUD-1/opt-in/\(stamp).csv", "email\nperson\(index)@x.nl\n")
            let receipt = "processed/audience=AUD-1/opt-in/\(stamp).csv.receipt.json"
            let deadline = Date().addingTimeInterval(30)
            while !Self.exists(zone, receipt), Date() < deadline { usleep(50_000) }
            #expect(Self.exists(zone, receipt), "picked up by a later poll")
        }
        #expect(process.isRunning)
        #expect(try Self.records(bakery) == 2)
    }

    @Test func badUsage() throws {
        let (bakery, zone) = try Self.setUp()
        #expect(try bakery.run(["watch", zone.path, "--interval", "0"]).status == 2)
        #expect(try bakery.run(["watch", zone.path, "--json"]).status == 2)
        for hours in ["-1", "721", "soon"] {
            let refused = try bakery.run(["watch", zone.path, "--once", "--keep-failed-hours", hours])
            #expect(refused.status == 2, "--keep-failed-hours \(hours)")
            #expect(refused.stderr.contains("--keep-failed-hours"), "\(refused.stderr)")
        }
        let missing = try bakery.run(["watch", zone.appendingPathComponent("nope").path, "--once"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no drop-zone folder"))
        let shown = try #require(try bakery.run(["client", "show", "acme", "--json"]).json() as? [String: Any])
        #expect(shown["audience"] as? String == "AUD-1")
        let listed = try #require(try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]])
        #expect(listed.first?["audience"] as? String == "AUD-1")
        #expect(try bakery.run(["client", "show", "acme"]).stdout.contains("audience          AUD-1"))
        let invalid = try bakery.run([
            "client", "add", "gamma", "--name", "G", "--country", "NL", "--dmp", "tealium", "--audience", "a/b",
        ])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("audience id 'a/b' is not valid"))
        let taken = try bakery.run([
            "client", "add", "beta", "--name", "B", "--country", "NL", "--dmp", "tealium", "--audience", "AUD-1",
        ])
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("audience id 'AUD-1' already belongs to client 'acme'"))
    }
}
