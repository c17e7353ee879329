import Foundation
import Testing

/// Compares `actual` with `Snapshots/<name>.txt` beside the tests.
///
/// With `BAKERY_RECORD_SNAPSHOTS=1` the file is (re)written instead. A missing file is a failure, never a silent
/// pass, so a snapshot cannot be lost without someone noticing. On a mismatch the actual text is written to
/// `<name>.actual.txt` (ignored by git) for diffing.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent("\(name).txt")
    let actualFile = folder.appendingPathComponent("\(name).actual.txt")
    let text = actual + "\n"
    if ProcessInfo.processInfo.environment["BAKERY_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try text.write(to: file, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: actualFile)
        } catch {
            Issue.record("could not record snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(
            "snapshot \(file.path) is missing; record it with `BAKERY_RECORD_SNAPSHOTS=1 swift test --filter BakeryConsoleTests` and review it before committing",
            sourceLocation: sourceLocation)
        return
    }
    guard expected != text else {
        try? FileManager.default.removeItem(at: actualFile)
        return
    }
    try? text.write(to: actualFile, atomically: true, encoding: .utf8)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let line =
        zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expectedLines.count, actualLines.count)
    let expectedLine = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
    let actualLine = line < actualLines.count ? String(actualLines[line]) : "<end>"
    Issue.record(
        """
        snapshot \(name) differs at line \(line + 1):
          expected: \(expectedLine)
          actual:   \(actualLine)
        full output in \(actualFile.path); re-record with BAKERY_RECORD_SNAPSHOTS=1 if the change is intended
        """, sourceLocation: sourceLocation)
}
