import Foundation

/// Totals of one CRM file read.
public struct CRMReadSummary: Sendable, Equatable {
    /// Data rows (see `CSVRecord.row`).
    public var rows = 0
    public var accepted = 0
    public var rejected = 0
    /// Skipped empty lines.
    public var blankLines = 0
    /// Header names that map to nothing and were ignored.
    public var ignoredColumns: [String] = []
    /// Header names used, with the column each one means, in file order.
    public var mappedColumns: [String: CRMColumn] = [:]

    public init() {}
}

/// Reads a CRM onboarding or update file end to end: container, CSV, header mapping, and each
/// row to a hashed record or a rejection. This is the entry point the CLI, the drop zone and the
/// console share; it keeps nothing but the current row, so the caller decides what to collect.
///
/// ```swift
/// let reader = try CRMFileReader(url: file, clientID: "acme", country: "NL")
/// var report = RejectionReport()
/// let summary = try reader.read { outcome in
///     switch outcome {
///     case .accepted(_, let record): records.append(record)
///     case .rejected(let rejection): report.add(rejection)
///     }
/// }
/// ```
public struct CRMFileReader: Sendable {
    public let url: URL
    public let clientID: String
    public let country: String
    public let today: Day
    public let limits: CSVLimits

    /// - Throws: `BakeryError.invalidInput` when the file name has no accepted ending.
    public init(url: URL, clientID: String, country: String, today: Day = Day(Date()), limits: CSVLimits = .standard) throws {
        _ = try CSVContainer.of(url)
        self.url = url
        self.clientID = clientID
        self.country = country.uppercased()
        self.today = today
        self.limits = limits
    }

    /// Reads the file, calling `body` once per data row in order.
    ///
    /// - Throws: `BakeryError.invalidInput` for an unreadable or empty file, a header that
    ///   cannot work (see `CRMHeaderMapping`), or a file with no data rows; and whatever `body`
    ///   throws (throw `CancellationError` to stop).
    public func read(_ body: (CRMRowOutcome) throws -> Void) throws -> CRMReadSummary {
        let csv = try CSVFileReader(url: url, limits: limits)
        var parser: CRMRowParser?
        var summary = CRMReadSummary()
        let csvSummary = try csv.read(
            header: { names in
                let mapping: CRMHeaderMapping
                do {
                    mapping = try CRMHeaderMapping(header: names, country: country)
                } catch let BakeryError.invalidInput(message) {
                    throw BakeryError.invalidInput("\(url.path): \(message)")
                }
                parser = CRMRowParser(clientID: clientID, country: country, mapping: mapping, today: today)
                summary.ignoredColumns = mapping.ignoredColumns
                for (index, column) in mapping.columns { summary.mappedColumns[names[index]] = column }
            },
            records: { event in
                guard let parser else { return }
                let outcome: CRMRowOutcome
                switch event {
                case .record(let record): outcome = parser.parse(record)
                case .rejected(let bad): outcome = .rejected(parser.rejection(for: bad))
                }
                if case .accepted = outcome { summary.accepted += 1 } else { summary.rejected += 1 }
                try body(outcome)
            })
        summary.rows = csvSummary.rows
        summary.blankLines = csvSummary.blankLines
        guard summary.rows > 0 else {
            throw BakeryError.invalidInput("\(url.path): the file has a header but no data rows")
        }
        return summary
    }
}
