import Foundation
import Testing

@Suite("bakery onboard")
struct OnboardCommandTests {
    /// A runner with client `acme` (NL) and `sven` (SE).
    static func runner() throws -> BakeryRunner {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"])
        try bakery.run(["client", "add", "sven", "--name", "Sven", "--country", "SE", "--dmp", "relay42"])
        return bakery
    }

    static func write(_ bakery: BakeryRunner, _ name: String, _ text: String) throws -> String {
        let url = bakery.folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func onboard(_ bakery: BakeryRunner, _ arguments: [String]) throws -> [String: Any] {
        let result = try bakery.run(["onboard"] + arguments + ["--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try result.json() as? [String: Any])
    }

    static func figures(_ bakery: BakeryRunner, _ client: String) throws -> (records: Int, uploads: Int) {
        let shown = try #require(try bakery.run(["client", "show", client, "--json"]).json() as? [String: Any])
        return (shown["records"] as! Int, shown["uploads"] as! Int)
    }

    static let emails = (1...6).map { "Person\($0)@Example.NL" }

    @Test func theSummaryHasTheContractKeysAndTheReportIsMasked() throws {
        let bakery = try Self.runner()
        let file = try Self.write(
            bakery, "crm.csv",
            "Email,Phone\r\n" + "John.Sam@MAIL.COM,0612345678\r\nnot-an-email,\r\n,12\r\njohn.sam@mail.com,\r\n")
        let summary = try Self.onboard(bakery, ["acme", file])
        #expect(summary["client"] as? String == "acme")
        #expect(summary["mode"] as? String == "add")
        #expect(summary["rows"] as? Int == 4)
        #expect(summary["accepted"] as? Int == 2)
        #expect(summary["rejected"] as? [String: Int] == ["invalid_email": 1, "invalid_phone": 1])
        #expect(summary["duplicates"] as? Int == 1)
        #expect(summary["records_before"] as? Int == 0)
        #expect(summary["records_after"] as? Int == 1)
        #expect(summary["seconds"] is Double && summary["rows_per_second"] is Double)
        #expect(summary["upload_id"] as? Int != nil)
        let report = try String(contentsOfFile: try #require(summary["report"] as? String), encoding: .utf8)
        #expect(
            report
                == "row,line,reason,column,masked_value\r\n2,3,invalid_email,Email,n***il\r\n3,4,invalid_phone,Phone,****\r\n"
        )
        #expect(summary["report"] as? String == file + ".rejections.csv")
        let human = try bakery.run(["onboard", "acme", file])
        #expect(human.status == 0)
        #expect(human.stdout.contains("records           1 -> 1"), "\(human.stdout)")
        #expect(human.stderr.isEmpty, "no progress line when stderr is not a terminal: \(human.stderr)")
    }

    @Test func addTwiceRemoveASubsetAndReplace() throws {
        let bakery = try Self.runner()
        let all = try Self.write(bakery, "all.csv", "email\n" + Self.emails.joined(separator: "\n") + "\n")
        #expect(try Self.onboard(bakery, ["acme", all])["records_after"] as? Int == 6)
        let again = try Self.onboard(bakery, ["acme", all])
        #expect(again["records_after"] as? Int == 6)
        #expect(again["already_present"] as? Int == 6)
        let subset = try Self.write(
            bakery, "subset.csv", "E-mail\nperson2@example.nl\nPERSON4@example.nl\nperson4@example.nl\n")
        let removed = try Self.onboard(bakery, ["acme", subset, "--mode", "remove"])
        #expect(removed["records_after"] as? Int == 4)
        #expect(removed["removed"] as? Int == 2)
        #expect(removed["duplicates"] as? Int == 1)
        let replacement = try Self.write(bakery, "replacement.csv", "email\nperson1@example.nl\nnew@example.nl\n")
        let replaced = try Self.onboard(bakery, ["acme", replacement, "--mode", "replace"])
        #expect(replaced["records_before"] as? Int == 4)
        #expect(replaced["records_after"] as? Int == 2)
        #expect(try Self.figures(bakery, "acme").uploads == 4)
    }

    @Test func aDryRunStoresNothing() throws {
        let bakery = try Self.runner()
        let all = try Self.write(bakery, "all.csv", "email\n" + Self.emails.joined(separator: "\n") + "\n")
        let dry = try Self.onboard(bakery, ["acme", all, "--dry-run"])
        #expect(dry["dry_run"] as? Bool == true)
        #expect(dry["records_after"] as? Int == 6)
        #expect(dry["upload_id"] is NSNull)
        #expect(try Self.figures(bakery, "acme") == (0, 0))
        let human = try bakery.run(["onboard", "acme", all, "--dry-run", "--mode", "replace"])
        #expect(human.stdout.hasPrefix("dry run (nothing stored)"), "\(human.stdout)")
        #expect(try Self.figures(bakery, "acme") == (0, 0))
    }

    @Test func badFilesFailWithExitOneAndChangeNothing() throws {
        let bakery = try Self.runner()
        _ = try Self.onboard(bakery, ["acme", try Self.write(bakery, "ok.csv", "email\na@b.nl\n")])
        let cases: [(String, String, String)] = [
            ("header.csv", "email\r\n", "no data rows"),
            ("noid.csv", "name,city\r\nx,y\r\n", "email"),
            ("crm.pdf", "email\na@b.nl\n", ".csv"),
            ("missing.csv", "", "no file"),
        ]
        for (name, text, message) in cases {
            let path =
                name == "missing.csv"
                ? bakery.folder.appendingPathComponent(name).path : try Self.write(bakery, name, text)
            let result = try bakery.run(["onboard", "acme", path, "--mode", "replace"])
            #expect(result.status == 1, "\(name)")
            #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let ghost = try bakery.run(["onboard", "ghost", try Self.write(bakery, "g.csv", "email\na@b.nl\n")])
        #expect(ghost.status == 1)
        #expect(ghost.stderr.contains("no client with id 'ghost'"))
        let allRejected = try bakery.run([
            "onboard", "acme", try Self.write(bakery, "bad.csv", "email\nnope\n"), "--mode", "replace",
        ])
        #expect(allRejected.status == 1)
        #expect(allRejected.stderr.contains("would remove every record"), "\(allRejected.stderr)")
        let unwritable = try bakery.run([
            "onboard", "acme", try Self.write(bakery, "more.csv", "email\nz@b.nl\n"), "--report", "/nonexistent/r.csv",
        ])
        #expect(unwritable.status == 1)
        #expect(
            unwritable.stderr.contains("cannot write the rejection report to /nonexistent/r.csv"),
            "\(unwritable.stderr)")
        #expect(try Self.figures(bakery, "acme") == (1, 1))
        let usage = try bakery.run(["onboard", "acme", "x.csv", "--mode", "merge"])
        #expect(usage.status == 2)
    }

    /// A real SIGKILL halfway through a large upload leaves the database exactly as before, and a rerun works.
    @Test func killedHalfwayChangesNothing() throws {
        let bakery = try Self.runner()
        _ = try Self.onboard(bakery, ["acme", try Self.write(bakery, "first.csv", "email\na@b.nl\nc@d.nl\n")])
        let large = bakery.folder.appendingPathComponent("large.csv")
        let rows = 400_000
        try LargeCSV.write(rows: rows, to: large)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: large.path)[.size] as? Int)

        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = ["onboard", "acme", large.path]
        process.environment = ["BAKERY_DB": bakery.database, "BAKERY_OPERATOR": "tester"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Halfway: once the reader's position in the file (from /proc) is past a fifth, before the end. Blocking
        // sleeps keep the pace under load.
        var position = 0
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline {
            position = Self.readPosition(pid: process.processIdentifier, file: large.path) ?? 0
            if position > size / 5 { break }
            usleep(2_000)
        }
        #expect(process.isRunning, "the upload must still be running when killed")
        #expect(position > size / 5 && position < size, "killed at \(position) of \(size) bytes")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try Self.figures(bakery, "acme") == (2, 1), "records and ledger as before")
        let rerun = try Self.onboard(bakery, ["acme", large.path])
        #expect(rerun["accepted"] as? Int == rows)
        #expect(rerun["records_before"] as? Int == 2)
        #expect(rerun["records_after"] as? Int == rows + 2)
        #expect(try Self.figures(bakery, "acme") == (rows + 2, 2))
    }

    /// The file offset of `pid`'s open descriptor on `file`, from `/proc/PID/fdinfo`.
    static func readPosition(pid: Int32, file: String) -> Int? {
        let folder = "/proc/\(pid)/fd"
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        for descriptor in descriptors {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(descriptor)"),
                target == file,
                let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(descriptor)", encoding: .utf8)
            else { continue }
            for line in info.split(separator: "\n") where line.hasPrefix("pos:") {
                return Int(line.dropFirst(4).trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// A gzip bomb: 300 KB on disk, 300 MB inflated, the middle row one field of 300 MB with no line end. The reader
    /// keeps at most one field (64 KiB) of it, so the upload ends with that row rejected as too long, the rows around
    /// it stored, and the process never holding the inflated bytes (peak memory measured by the parent, Python).
    @Test func aGzipBombIsReadInBoundedMemoryAndItsRunawayRowRejected() throws {
        let bakery = try Self.runner()
        let path = bakery.folder.appendingPathComponent("bomb.csv.gz").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        make.arguments = [
            "-c",
            "import gzip,sys\nwith gzip.open(sys.argv[1],'wb',9) as f:\n f.write(b'email\\nann@example.com\\n')\n"
                + " for _ in range(300): f.write(b'a'*(1<<20))\n f.write(b'\\nbob@example.com\\n')", path,
        ]
        try make.run()
        make.waitUntilExit()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 1_000_000, "the bomb is small on disk (\(size) bytes)")
        let measure = Process()
        measure.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        measure.arguments = [
            "-c",
            "import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:],capture_output=True)\n"
                + "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\nprint(r.stdout.decode())",
            try BakeryRunner.executable.path, "--db", bakery.database, "onboard", "acme", path, "--json",
        ]
        let out = Pipe()
        measure.standardOutput = out
        try measure.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        measure.waitUntilExit()
        let first = text.split(separator: "\n").first?.split(separator: " ").compactMap { Int($0) } ?? []
        try #require(first.count == 2, "\(text)")
        #expect(first[0] == 0, "\(text)")
        #expect(first[1] < 150_000, "peak memory \(first[1]) KiB while inflating 300 MB")
        let json = try #require(text.firstIndex(of: "{").map { text[$0...] })
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(summary["accepted"] as? Int == 2)
        #expect(summary["rejected"] as? [String: Int] == ["field_too_long": 1], "\(summary)")
        #expect(try Self.figures(bakery, "acme").records == 2)
    }
}
