import Foundation
import Testing

/// The privacy rule that only hashes are stored, checked the way a reviewer would: a corpus of plain values goes
/// through every path that takes CRM files on the command line — `onboard` (text, `--json`, `--dry-run`), the drop
/// zone (applied, and failed then shredded), an upload interrupted with SIGINT and one killed with SIGKILL — and then
/// every file Bakery wrote (the database, its write-ahead log, reports, receipts, the temporary folder it was given)
/// and everything it printed is searched for every plain form of every value. The console's path is searched the same
/// way by scripts/e2e-operations.
@Suite("No plain text left behind")
struct PlainTextSweepTests {
    @Test func noPlainValueReachesAFileOrAnOutputOnAnyPath() throws {
        let bakery = try BakeryRunner()
        let inputs = bakery.folder.appendingPathComponent("inputs")
        let temporary = bakery.folder.appendingPathComponent("tmp")
        for folder in [inputs, temporary] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let environment = ["TMPDIR": temporary.path, "SQLITE_TMPDIR": temporary.path]
        var printed: [String] = []
        func run(_ arguments: [String], expecting status: Int32 = 0) throws {
            let result = try bakery.run(arguments, environment: environment)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            printed += [result.stdout, result.stderr]
        }
        try run(["client", "add", "sven", "--name", "Sven", "--country", "SE", "--dmp", "relay42"])
        try run(["client", "add", "nord", "--name", "Nord", "--country", "SE", "--dmp", "piano", "--audience", "nord-1"])
        // Another connection holds the database open, as the console or server would, so the write-ahead log
        // outlives the commands and is searched too (the last connection to close would fold it into the file).
        let holder = try DatabaseHolder(bakery.database)
        defer { holder.close() }

        func input(_ name: String, _ people: [SwedishPeople.Person], extra: String = "") throws -> String {
            let url = inputs.appendingPathComponent(name)
            try (SwedishPeople.csv(people) + extra).write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let direct = SwedishPeople.make(200)
        let file = try input("direct.csv", direct, extra: "bad@,070,,,,811218-9870\r\n")
        try run(["onboard", "sven", file, "--dry-run", "--json"])
        try run(["onboard", "sven", file, "--json"])
        let texted = SwedishPeople.make(100, offset: 500)
        try run(["onboard", "sven", try input("texted.csv", texted)])

        let zone = bakery.folder.appendingPathComponent("zone")
        let applied = SwedishPeople.make(50, offset: 1000)
        let failed = SwedishPeople.make(50, offset: 2000)
        try drop(SwedishPeople.csv(applied), zone, "onboard/audience=nord-1/opt-in/20261128_101500.csv")
        // No client has this audience: the file fails, whole and plain, and goes to failed/.
        try drop(SwedishPeople.csv(failed), zone, "onboard/audience=nobody/opt-in/20261128_111500.csv")
        try run(["watch", zone.path, "--once", "--interval", "0.2", "--keep-failed-hours", "0"], expecting: 1)
        let failedFile = zone.appendingPathComponent("failed/audience=nobody/opt-in/20261128_111500.csv")
        #expect(!FileManager.default.fileExists(atPath: failedFile.path), "the failed file was shredded")
        #expect(FileManager.default.fileExists(atPath: failedFile.path + ".receipt.json"), "its receipt stays")

        let interrupted = SwedishPeople.make(150_000, offset: 10_000)
        let killed = SwedishPeople.make(150_000, offset: 200_000)
        for (people, signal) in [(interrupted, SIGINT), (killed, SIGKILL)] {
            let large = try input("large-\(signal).csv", people)
            printed.append(try stopHalfway(bakery, ["onboard", "sven", large], file: large, signal: signal, environment))
        }
        for arguments in [["client", "show", "sven", "--json"], ["stats", "sven", "--json"], ["audit", "--json"]] {
            try run(arguments)
        }

        // Everything Bakery wrote: every file below the runner's folder but the inputs the test itself wrote.
        let inputPaths = Set(
            try FileManager.default.contentsOfDirectory(atPath: inputs.path).filter { $0.hasSuffix(".csv") && !$0.contains(".rejections") }
                .map { inputs.appendingPathComponent($0).path })
        let written = try everyFile(below: bakery.folder).filter { !inputPaths.contains($0) }
        #expect(written.contains(bakery.database + "-wal"), "the write-ahead log is searched: \(written)")
        #expect(written.contains { $0.hasSuffix(".rejections.csv") }, "a rejection report is searched")
        #expect(written.contains { $0.hasSuffix(".receipt.json") }, "drop-zone receipts are searched")
        let output = bakery.folder.appendingPathComponent("printed.txt")
        try printed.joined(separator: "\n").write(to: output, atomically: true, encoding: .utf8)
        // The first and last thousand of each large file, and all of the small ones: what a leak would show.
        let sampled = direct + texted + applied + failed + [interrupted, killed].flatMap { $0.prefix(1000) + $0.suffix(1000) }
        let found = try PlainSearch.find(sampled.flatMap(\.plainForms), in: written + [output.path])
        #expect(found.isEmpty, "plain values found: \(found.prefix(10))")
        // The search itself finds what is there: the inputs hold every value.
        #expect(try PlainSearch.find(direct.flatMap(\.plainForms), in: [file]).count > 0)
    }

    func drop(_ text: String, _ zone: URL, _ path: String) throws {
        let url = zone.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Runs `arguments` and sends `signal` once a fifth of `file` has been read; returns what it printed.
    func stopHalfway(
        _ bakery: BakeryRunner, _ arguments: [String], file: String, signal: Int32, _ environment: [String: String]
    ) throws -> String {
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            environment.merging(["BAKERY_DB": bakery.database, "BAKERY_OPERATOR": "tester"]) { $1 }) { $1 }
        let log = bakery.folder.appendingPathComponent("stopped-\(signal).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var position = 0
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline {
            position = OnboardCommandTests.readPosition(pid: process.processIdentifier, file: file) ?? 0
            if position > size / 5 { break }
            usleep(2_000)
        }
        #expect(process.isRunning && position < size, "stopped while reading: at \(position) of \(size) bytes")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return try String(contentsOf: log, encoding: .utf8)
    }

    func everyFile(below folder: URL) throws -> [String] {
        let walker = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]))
        return walker.compactMap { item in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
            else { return nil }
            return url.standardizedFileURL.path
        }
    }
}

/// Keeps a database open in another process (`sqlite3`), so its write-ahead log stays on disk.
struct DatabaseHolder {
    let process = Process()
    let input = Pipe()

    init(_ path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("SELECT 'open' FROM client LIMIT 1;\n".utf8))
        _ = output.fileHandleForReading.availableData
    }

    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Searches files for many fixed strings at once with GNU grep (`-F`, Aho–Corasick), binary files as text.
enum PlainSearch {
    /// The (pattern, file) pairs found. The pattern list is written to a private file outside the searched folders
    /// and removed afterwards.
    static func find(_ patterns: [String], in files: [String]) throws -> [String] {
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-patterns-\(UUID().uuidString)")
        try Set(patterns).filter { !$0.isEmpty }.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: list) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/grep")
        process.arguments = ["-a", "-o", "-H", "-F", "-f", list.path, "--"] + files
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus <= 1, "grep failed: \(process.terminationStatus)")
        return text.split(separator: "\n").map(String.init)
    }
}
