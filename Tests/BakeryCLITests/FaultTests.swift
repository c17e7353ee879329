import Foundation
import Testing

/// Faults through the real binary: SIGKILL at a spread of moments, a full disk (a small tmpfs, which needs root —
/// these machines run the suite as root), a locked, a read-only and a damaged database. Results in
/// docs/reliability.md, Faults.
@Suite("Faults", .serialized)
struct FaultTests {
    // MARK: Helpers

    /// Runs a program and returns its exit status and standard output.
    @discardableResult
    static func shell(_ program: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A tmpfs of `kib` KiB mounted at `folder` for the body; unmounted afterwards, also when the body throws.
    static func withDisk<T>(_ folder: URL, kib: Int, _ body: () async throws -> T) async throws -> T {
        try #require(geteuid() == 0, "mounting a small tmpfs needs root; the suite runs as root on these machines")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #require(try shell("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(kib)k", "tmpfs", folder.path]).status == 0)
        defer { _ = try? shell("/usr/bin/umount", ["-l", folder.path]) }
        return try await body()
    }

    static func remount(_ folder: URL, _ options: String) throws {
        try #require(try shell("/usr/bin/mount", ["-o", "remount,\(options)", folder.path]).status == 0)
    }

    static func integrity(_ database: String) throws -> String {
        try shell("/usr/bin/sqlite3", [database, "PRAGMA integrity_check"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func records(_ bakery: BakeryRunner, _ client: String = "acme") throws -> Int {
        let shown = try #require(try bakery.run(["client", "show", client, "--json"]).json() as? [String: Any])
        return try #require(shown["records"] as? Int)
    }

    /// A CRM file as CRM systems write it: mixed-case, padded e-mails with the client's own, unsorted ids.
    static func crmFile(_ url: URL, rows: Int) throws {
        var text = "email,custom\n"
        for row in 0..<rows {
            text += " User.\(row)@Example.COM ,C-\((row &* 7_919) % 1_000_003)-\(row)\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Starts `bakery ARGUMENTS`, kills it with SIGKILL after `delay` microseconds, and waits for it.
    static func kill(_ bakery: BakeryRunner, _ arguments: [String], after delay: UInt32) throws {
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = ["--db", bakery.database] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["BAKERY_OPERATOR": "tester"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A blocking sleep on purpose: a cooperative-pool sleep can resume long after the moment on a busy machine.
        usleep(delay)
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    // MARK: SIGKILL

    @Test func onboardingAndGraphImportKilledAtASpreadOfMomentsLeaveAllOrNothingAndARerunSucceeds() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"])
        let file = bakery.folder.appendingPathComponent("crm.csv")
        try Self.crmFile(file, rows: 40_000)
        var outcomes: [Int] = []
        for step in 0..<8 {
            try Self.kill(bakery, ["onboard", "acme", file.path, "--mode", "replace"], after: UInt32(40_000 + 60_000 * step))
            let records = try Self.records(bakery)
            outcomes.append(records)
            #expect(records == 0 || records == 40_000, "after a kill at step \(step): \(records) records")
            #expect(try Self.integrity(bakery.database) == "ok")
        }
        #expect(outcomes.contains(0), "at least one kill landed before the commit: \(outcomes)")
        let rerun = try bakery.run(["onboard", "acme", file.path, "--mode", "replace"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try Self.records(bakery) == 40_000)

        var graph = "da_id,email_sha256\n"
        for row in 0..<30_000 {
            graph += String(format: "%032x", row &* 2_654_435_761 % 4_294_967_291) + "," + String(repeating: String(format: "%08x", row), count: 8) + "\n"
        }
        let graphFile = bakery.folder.appendingPathComponent("graph.csv")
        try graph.write(to: graphFile, atomically: true, encoding: .utf8)
        var edges: [String] = []
        for step in 0..<6 {
            try Self.kill(bakery, ["graph", "import", graphFile.path], after: UInt32(40_000 + 60_000 * step))
            let count = try bakery.sql("SELECT count(*) FROM graph_edge")
            edges.append(count)
            #expect(count == "0" || count == "30000", "after a kill at step \(step): \(count) edges")
        }
        #expect(edges.contains("0"), "at least one kill landed before the commit: \(edges)")
        #expect(try bakery.run(["graph", "import", graphFile.path]).status == 0)
        #expect(try bakery.sql("SELECT count(*) FROM graph_edge") == "30000")
    }

    // MARK: A full disk

    @Test func aFullDiskDuringOnboardingIsAClearErrorStoresNothingAndTheRerunWorksOnceSpaceReturns() async throws {
        let bakery = try BakeryRunner()
        let disk = bakery.folder.appendingPathComponent("disk")
        try await Self.withDisk(disk, kib: 2_048) {
            let env = ["BAKERY_DB": disk.appendingPathComponent("bakery.sqlite").path]
            #expect(try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"], environment: env).status == 0)
            let file = bakery.folder.appendingPathComponent("crm.csv")
            try Self.crmFile(file, rows: 60_000)
            let full = try bakery.run(["onboard", "acme", file.path], environment: env)
            #expect(full.status == 1)
            #expect(full.stderr.contains("the disk holding it is full; nothing of this operation was stored"), "\(full.stderr)")
            #expect(try Self.integrity(env["BAKERY_DB"]!) == "ok")
            #expect(try bakery.run(["client", "show", "acme", "--json"], environment: env).stdout.contains("\"records\" : 0"))
            try Self.remount(disk, "size=65536k")
            let rerun = try bakery.run(["onboard", "acme", file.path, "--json"], environment: env)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(try bakery.run(["client", "show", "acme", "--json"], environment: env).stdout.contains("\"records\" : 60000"))
        }
    }

    @Test func aFullDiskDuringAnExportLeavesNoVisibleFileAndTheRerunWritesTheSameBytes() async throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "20000", "--clients", "2"])
        let clean = try #require(
            try bakery.run(["export", "zuiderzee", "--date", Self.day(-2), "--out", bakery.folder.appendingPathComponent("clean").path, "--json"])
                .json() as? [String: Any])
        let disk = bakery.folder.appendingPathComponent("exports")
        try await Self.withDisk(disk, kib: 16) {
            let full = try bakery.run(["export", "zuiderzee", "--date", Self.day(-2), "--out", disk.path])
            #expect(full.status == 1)
            #expect(full.stderr.contains("No space left on device") || full.stderr.contains("disk is full"), "\(full.stderr)")
            let folder = disk.appendingPathComponent("zuiderzee")
            let visible = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
            #expect(visible.isEmpty, "nothing half-written is visible: \(visible)")
            try Self.remount(disk, "size=65536k")
            let rerun = try #require(
                try bakery.run(["export", "zuiderzee", "--date", Self.day(-2), "--out", disk.path, "--json"]).json() as? [String: Any])
            #expect(rerun["sha256"] as? String == clean["sha256"] as? String)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(!files.contains { $0.hasSuffix(".partial") }, "the rerun cleared the leftovers: \(files)")
        }
    }

    static func day(_ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    // MARK: Locked, read-only, damaged

    @Test func aDatabaseLockedByAnotherProcessIsAClearErrorAfterTheWait() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"])
        // The sqlite3 shell takes the write lock and keeps it while its input stays open.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [bakery.database]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE; SELECT 1;\n".utf8))
        usleep(300_000)
        let started = Date()
        let locked = try bakery.run(["client", "add", "beta", "--name", "Beta", "--country", "NL", "--dmp", "tealium"])
        #expect(locked.status == 1)
        #expect(locked.stderr.contains("another process held the database's write lock"), "\(locked.stderr)")
        #expect(Date().timeIntervalSince(started) >= 5, "it waited for the lock before giving up")
        input.fileHandleForWriting.write(Data("ROLLBACK;\n".utf8))
        try? input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(try bakery.run(["client", "add", "beta", "--name", "Beta", "--country", "NL", "--dmp", "tealium"]).status == 0)
    }

    @Test func aDatabaseOnAReadOnlyMountIsAClearErrorAndChangesNothing() async throws {
        let bakery = try BakeryRunner()
        let disk = bakery.folder.appendingPathComponent("ro")
        try await Self.withDisk(disk, kib: 8_192) {
            let env = ["BAKERY_DB": disk.appendingPathComponent("bakery.sqlite").path]
            #expect(try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "tealium"], environment: env).status == 0)
            try Self.remount(disk, "ro")
            let refused = try bakery.run(["client", "add", "beta", "--name", "Beta", "--country", "NL", "--dmp", "tealium"], environment: env)
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains("cannot be written") || refused.stderr.contains("operating system refused"),
                "\(refused.stderr)")
            try Self.remount(disk, "rw")
            let list = try #require(try bakery.run(["client", "list", "--json"], environment: env).json() as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == ["acme"])
        }
    }

    @Test func aDamagedDatabaseIsAClearErrorAndIsNotWrittenTo() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "3000", "--clients", "2"])
        // Garbage over the middle of the file: the B-tree pages of the larger tables.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: bakery.database))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 3)
        try handle.write(contentsOf: Data((0..<Int(size / 3)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: bakery.database))
        let stats = try bakery.run(["stats", "--json"])
        #expect(stats.status == 1)
        #expect(stats.stderr.contains("the file is damaged; restore it from a backup"), "\(stats.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: bakery.database)) == before, "nothing was written to it")
    }
}
