import Foundation
import Testing

@testable import BakeryCore

@Suite("Streaming CSV reader")
struct CSVFileReaderTests {
    /// Reads `url` and returns the header and events.
    private func read(_ url: URL, limits: CSVLimits = .standard) throws -> ([String], [CSVEvent], CSVReadSummary) {
        var header: [String] = []
        var events: [CSVEvent] = []
        let summary = try CSVFileReader(url: url, limits: limits).read(header: { header = $0 }) { events.append($0) }
        return (header, events, summary)
    }

    private func fields(_ events: [CSVEvent]) -> [[String]] {
        events.compactMap { if case .record(let record) = $0 { record.fields } else { nil } }
    }

    private func rejected(_ events: [CSVEvent]) -> [CSVRejectedRecord] {
        events.compactMap { if case .rejected(let bad) = $0 { bad } else { nil } }
    }

    static let tricky =
        "\u{FEFF}email,name,note\r\n"
        + "a@x.nl,\"Doe, John\",\"he said \"\"hi\"\"\"\r\n"
        + "b@x.nl,\"multi\nline\r\nname\",\r\n"
        + "\r\n"
        + "c@x.nl,,\"\"\n"
        + "d@x.nl,plain,\"last\""

    static let trickyRows = [
        ["a@x.nl", "Doe, John", "he said \"hi\""],
        ["b@x.nl", "multi\nline\r\nname", ""],
        ["c@x.nl", "", ""],
        ["d@x.nl", "plain", "last"],
    ]

    /// Every chunk size from 1 byte up, so each state boundary falls between chunks somewhere.
    @Test(arguments: [1, 2, 3, 5, 7, 64 * 1024])
    func quotingNewlinesCRLFAndBOMAcrossChunks(chunk: Int) throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.plain("tricky.csv", Self.tricky)
        let (header, events, summary) = try read(url, limits: CSVLimits(chunkBytes: chunk))
        #expect(header == ["email", "name", "note"])
        #expect(fields(events) == Self.trickyRows)
        #expect(summary.rows == 4)
        #expect(summary.blankLines == 1)
        let rows: [[Int]] = events.map { if case .record(let r) = $0 { [r.row, r.line] } else { [] } }
        #expect(rows == [[1, 2], [2, 3], [3, 7], [4, 8]])
    }

    @Test func gzipInput() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.gzip("upload.csv.gz", Self.tricky)
        #expect(fields(try read(url).1) == Self.trickyRows)
        let multi = try files.gzip("multi.csv.gz", Self.tricky, members: 3)
        #expect(fields(try read(multi, limits: CSVLimits(chunkBytes: 4)).1) == Self.trickyRows)
    }

    @Test func largeGzipStreamsInChunks() throws {
        let files = try TempFiles()
        defer { files.remove() }
        var text = "email,phone\n"
        for index in 0..<50_000 { text += "user\(index)@example.com,06\(10_000_000 + index)\n" }
        let url = try files.gzip("big.csv.gz", text)
        let (_, events, summary) = try read(url)
        #expect(summary.rows == 50_000 && events.count == 50_000)
        #expect(fields(events).last == ["user49999@example.com", "0610049999"])
    }

    @Test func corruptGzipIsAnError() throws {
        let files = try TempFiles()
        defer { files.remove() }
        var bytes = Array(try Data(contentsOf: try files.gzip("ok.csv.gz", Self.tricky)))
        let truncated = try files.plain("cut.csv.gz", Array(bytes.prefix(bytes.count / 2)))
        #expect(throws: BakeryError.self) { try read(truncated) }
        bytes[12] ^= 0xFF
        bytes[20] ^= 0xFF
        let damaged = try files.plain("bad.csv.gz", bytes)
        #expect(throws: BakeryError.self) { try read(damaged) }
        let notGzip = try files.plain("plain.csv.gz", "email\na@b.nl\n")
        #expect(throws: BakeryError.self) { try read(notGzip) }
    }

    @Test func zipWithOneCSV() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.zip("upload.zip", [("export/crm.csv", Self.tricky), ("__MACOSX/export/._crm.csv", "junk")])
        #expect(fields(try read(url).1) == Self.trickyRows)
    }

    @Test func damagedZipIsAnError() throws {
        let files = try TempFiles()
        defer { files.remove() }
        var text = "email\n"
        for index in 0..<5000 { text += "user\(index)@example.com\n" }
        var bytes = Array(try Data(contentsOf: try files.zip("ok.zip", [("crm.csv", text)])))
        // Flip bytes inside the deflated data, past the 30-byte local header and the name.
        for offset in stride(from: 60, to: 400, by: 7) { bytes[offset] ^= 0x5A }
        let damaged = try files.plain("damaged.zip", bytes)
        #expect(throws: BakeryError.self) { try read(damaged) }
    }

    @Test func zipMustHoldExactlyOneCSV() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let two = try files.zip("two.zip", [("a.csv", "email\na@b.nl\n"), ("b.csv", "email\na@b.nl\n")])
        #expect(throws: BakeryError.self) { try read(two) }
        let none = try files.zip("none.zip", [])
        #expect(throws: BakeryError.self) { try read(none) }
        let notCSV = try files.zip("xlsx.zip", [("crm.xlsx", "email\n")])
        #expect(throws: BakeryError.self) { try read(notCSV) }
        let notZip = try files.plain("fake.zip", "email\na@b.nl\n")
        #expect(throws: BakeryError.self) { try read(notZip) }
    }

    @Test func invalidUTF8IsARejectedRowAndReadingGoesOn() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let bytes = Array("email,name\na@x.nl,ok\nb@x.nl,".utf8) + [0xC3, 0x28] + Array("\nc@x.nl,ok\n".utf8)
        let (_, events, summary) = try read(try files.plain("utf8.csv", bytes))
        #expect(fields(events) == [["a@x.nl", "ok"], ["c@x.nl", "ok"]])
        #expect(
            rejected(events) == [CSVRejectedRecord(row: 2, line: 3, problem: .invalidUTF8, column: 1, fieldCount: 2)])
        #expect(summary.rejected == 1)
    }

    @Test func wrongFieldCountBothWays() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.plain("count.csv", "email,name\na@x.nl\nb@x.nl,b,extra,more\nc@x.nl,c\n")
        let (_, events, _) = try read(url)
        #expect(fields(events) == [["c@x.nl", "c"]])
        #expect(rejected(events).map(\.problem) == [.wrongFieldCount, .wrongFieldCount])
        #expect(rejected(events).map(\.fieldCount) == [1, 4])
    }

    @Test func oversizedFieldIsRejectedInBoundedMemory() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let huge = String(repeating: "x", count: 200_000)
        let url = try files.plain("big.csv", "email,note\na@x.nl,\"\(huge)\"\nb@x.nl,\(huge)\nc@x.nl,ok\n")
        let (_, events, _) = try read(url, limits: CSVLimits(maxFieldBytes: 64 * 1024, chunkBytes: 4096))
        #expect(fields(events) == [["c@x.nl", "ok"]])
        #expect(rejected(events).map(\.problem) == [.fieldTooLong, .fieldTooLong])
        #expect(rejected(events).map(\.column) == [1, 1])
    }

    @Test func badQuotingIsRejected() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.plain(
            "quotes.csv", "email,name\na@x.nl,\"Doe\"x\nb@x.nl,ok\nc@x.nl,\"never closed\nd@x.nl,lost\n")
        let (_, events, summary) = try read(url)
        #expect(fields(events) == [["b@x.nl", "ok"]])
        #expect(rejected(events).map(\.problem) == [.invalidQuoting, .invalidQuoting])
        #expect(summary.rows == 3)
    }

    @Test func strayQuoteInsidePlainFieldIsKept() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let (_, events, _) = try read(try files.plain("stray.csv", "email,note\na@x.nl,12\" screen\n"))
        #expect(fields(events) == [["a@x.nl", "12\" screen"]])
    }

    @Test func emptyFileAndUnreadableHeaderAreErrors() throws {
        let files = try TempFiles()
        defer { files.remove() }
        #expect(throws: BakeryError.self) { try read(try files.plain("empty.csv", "")) }
        #expect(throws: BakeryError.self) { try read(try files.plain("bom.csv", [0xEF, 0xBB, 0xBF])) }
        #expect(throws: BakeryError.self) { try read(try files.plain("bad.csv", [0x65, 0xFF, 0x0A])) }
        #expect(throws: BakeryError.self) { try read(try files.plain("upload.xlsx", "email\n")) }
    }

    @Test func headerOnlyReadsNoRows() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let (header, events, summary) = try read(try files.plain("header.csv", "email\r\n"))
        #expect(header == ["email"] && events.isEmpty && summary.rows == 0)
    }
}
