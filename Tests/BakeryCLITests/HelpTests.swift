import Foundation
import Testing

/// `--help` is part of the interface operators read: pinned as text snapshots beside this file.
/// Re-record with `BAKERY_RECORD_SNAPSHOTS=1 swift test --filter HelpTests`.
@Suite("bakery --help")
struct HelpTests {
    @Test(arguments: [
        ["--help"], ["client", "--help"], ["client", "add", "--help"], ["client", "list", "--help"],
        ["client", "show", "--help"], ["demo", "--help"], ["stats", "--help"], ["console", "--help"],
        ["serve", "--help"], ["sync", "--help"], ["sync", "lookup", "--help"], ["onboard", "--help"], ["watch", "--help"],
        ["export", "--help"],
        ["graph", "--help"], ["graph", "import", "--help"], ["audit", "--help"],
        ["storage", "--help"], ["storage", "add", "--help"], ["storage", "test", "--help"], ["deliver", "--help"],
        ["purge", "--help"], ["erase", "--help"],
    ])
    func helpReadsWell(arguments: [String]) throws {
        let result = try BakeryRunner().run(arguments, environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        let name = (["bakery"] + arguments.filter { $0 != "--help" } + ["help"]).joined(separator: "-")
        let file = BakeryRunner.packageRoot.appendingPathComponent("Tests/BakeryCLITests/Snapshots/\(name).txt")
        if ProcessInfo.processInfo.environment["BAKERY_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try result.stdout.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: file, encoding: .utf8)
        #expect(expected != nil, "no snapshot \(file.path); record it with BAKERY_RECORD_SNAPSHOTS=1")
        #expect(result.stdout == expected, "help differs from \(file.lastPathComponent)")
    }
}
