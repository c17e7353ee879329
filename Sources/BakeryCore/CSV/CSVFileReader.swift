import Foundation

/// Reads a CSV upload (`.csv`, `.csv.gz` or `.zip`) as a header and a stream of numbered
/// records, in constant memory.
///
/// ```swift
/// let reader = try CSVFileReader(url: upload)
/// let summary = try reader.read(header: { names in print(names) }) { event in
///     switch event { case .record(let r): …; case .rejected(let bad): … }
/// }
/// ```
/// A problem with the header row, or an empty file, throws: nothing can be understood without
/// it. A problem with a data record is reported as `.rejected` and reading goes on. Throwing
/// from either closure stops reading at once (use it to refuse a header or to cancel).
public struct CSVFileReader: Sendable {
    public let url: URL
    public let container: CSVContainer
    public let limits: CSVLimits

    /// - Throws: `BakeryError.invalidInput` when the file name has no accepted ending.
    public init(url: URL, limits: CSVLimits = .standard) throws {
        self.url = url
        self.container = try CSVContainer.of(url)
        self.limits = limits
    }

    /// Reads the whole file.
    /// - Parameters:
    ///   - header: called once with the header cells, before any record.
    ///   - records: called for each data record, in file order.
    ///   - progress: called after each chunk with the fraction of the file consumed (0...1), for
    ///     a progress bar; throw from it (e.g. `CancellationError`) to stop between chunks.
    public func read(
        header: ([String]) throws -> Void, records: (CSVEvent) throws -> Void,
        progress: (Double) throws -> Void = { _ in }
    ) throws -> CSVReadSummary {
        var parser = CSVParser(limits: limits)
        var state = ReadState()
        try CSVByteSource.forEachChunk(of: url, container: container, chunkBytes: limits.chunkBytes) {
            chunk, fractionRead in
            state.summary.bytes += chunk.count
            try parser.feed(chunk) { try state.handle($0, url: url, header: header, records: records) }
            try progress(fractionRead)
        }
        try parser.finish { try state.handle($0, url: url, header: header, records: records) }
        state.summary.blankLines = parser.blankLines
        guard state.sawHeader else {
            throw BakeryError.invalidInput(
                "\(url.path): the file is empty; a header row and at least one data row are required")
        }
        return state.summary
    }

    /// Numbering and totals while one file is read.
    private struct ReadState {
        var summary = CSVReadSummary()
        var sawHeader = false

        mutating func handle(
            _ parsed: CSVParser.Parsed, url: URL, header: ([String]) throws -> Void, records: (CSVEvent) throws -> Void
        ) throws {
            guard sawHeader else {
                sawHeader = true
                guard case .fields(let names, _) = parsed else {
                    throw BakeryError.invalidInput(
                        "\(url.path): the header row is unreadable (\(CSVFileReader.describe(parsed)))")
                }
                try header(names)
                return
            }
            summary.rows += 1
            switch parsed {
            case .fields(let fields, let line):
                try records(.record(CSVRecord(row: summary.rows, line: line, fields: fields)))
            case .problem(let problem, let column, let fieldCount, let line):
                summary.rejected += 1
                try records(
                    .rejected(
                        CSVRejectedRecord(
                            row: summary.rows, line: line, problem: problem, column: column, fieldCount: fieldCount)))
            }
        }
    }

    fileprivate static func describe(_ parsed: CSVParser.Parsed) -> String {
        guard case .problem(let problem, _, let count, _) = parsed else { return "ok" }
        switch problem {
        case .invalidUTF8: return "not UTF-8; save the file as UTF-8"
        case .wrongFieldCount: return "more than the allowed columns (\(count))"
        case .fieldTooLong: return "a column name is too long"
        case .invalidQuoting: return "unbalanced quotes"
        }
    }
}
