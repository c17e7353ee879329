import Foundation
import Testing

@Suite("bakery export, killed")
struct ExportKillTests {
    /// Kills `bakery export` with SIGKILL at a spread of moments. Whenever it dies, every visible data file is
    /// complete (its checksum is the uninterrupted run's), and a marker exists only beside a complete file and
    /// manifest; half-written bytes only ever sit in hidden `.partial` files. A rerun then succeeds with the
    /// same checksum and clears the leftovers.
    @Test func aKilledExportLeavesNothingVisibleHalfWrittenAndARerunSucceeds() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "20000", "--clients", "2"])
        let clean = try #require(
            try bakery.run(["export", "zuiderzee", "--date", "2026-11-20", "--out", bakery.folder.appendingPathComponent("clean").path, "--json"])
                .json() as? [String: Any])
        let expected = try #require(clean["sha256"] as? String)
        let out = bakery.folder.appendingPathComponent("out")
        let folder = out.appendingPathComponent("zuiderzee")
        var killedBeforeMarker = 0
        for step in 0..<10 {
            let process = Process()
            process.executableURL = try BakeryRunner.executable
            process.arguments = ["--db", bakery.database, "export", "zuiderzee", "--date", "2026-11-20", "--out", out.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // A blocking sleep on purpose: `Task.sleep` resumes only when a cooperative thread is free, and on a
            // 2-core machine running the whole suite that can be long after the export has finished.
            if step > 0 { usleep(UInt32(20_000 * step)) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            let visible = files.filter { !$0.hasPrefix(".") }
            if visible.contains("zuiderzee_2026-11-20.done") {
                let marker = try String(contentsOf: folder.appendingPathComponent("zuiderzee_2026-11-20.done"), encoding: .utf8)
                #expect(marker.hasPrefix(expected), "a marker always names the complete file's checksum")
                #expect(visible.contains("zuiderzee_2026-11-20.csv.gz") && visible.contains("zuiderzee_2026-11-20.manifest.json"))
            } else {
                killedBeforeMarker += 1
            }
            if visible.contains("zuiderzee_2026-11-20.csv.gz") {
                #expect(try sha256(folder.appendingPathComponent("zuiderzee_2026-11-20.csv.gz")) == expected)
            }
        }
        #expect(killedBeforeMarker > 0, "at least one kill landed before the run completed")
        let rerun = try #require(
            try bakery.run(["export", "zuiderzee", "--date", "2026-11-20", "--out", out.path, "--json"]).json() as? [String: Any])
        #expect(rerun["sha256"] as? String == expected)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!files.contains { $0.hasSuffix(".partial") }, "the rerun cleared leftovers: \(files)")
    }

    func sha256(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}
