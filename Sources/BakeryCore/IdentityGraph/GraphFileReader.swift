import Foundation

/// What one data row of a graph file became.
public enum GraphRowOutcome: Sendable, Equatable {
    /// The row's edges: one per hash cell with a value, all from the row's node.
    case accepted(row: Int, edges: [GraphEdge])
    case rejected(CRMRowRejection)
}

/// Totals of one graph file read.
public struct GraphReadSummary: Sendable, Equatable {
    public var rows = 0
    public var accepted = 0
    public var rejected = 0
    public var edges = 0
    /// Header names that map to nothing and were ignored.
    public var ignoredColumns: [String] = []

    public init() {}
}

/// Reads an identity-graph file (`.csv`, `.csv.gz`, `.zip`) through the same CSV reader as CRM files, row by row in
/// constant memory, validating each row:
/// - `da_id`: exactly 32 lower-case hex digits (``DAID/isValid(_:)``), else `invalid_da_id`;
/// - `device_id` + `device_type`: IDFA or AAID (any case; else `invalid_device_type`) and a UUID, stored lower-case
///   (else `invalid_idfa` / `invalid_aaid`);
/// - hash cells: 64 hex digits, either case, not the hash of an empty value, else `invalid_hash`; empty cells are
///   skipped, and a row with no hash at all is `no_identifier`;
/// - `last_seen`: ISO 8601 (`2026-11-29T02:00:00Z`, with fraction or offset, or a bare date); empty means `now`;
///   unreadable or more than a day after `now` is `invalid_last_seen` (a time in the future would keep an edge from
///   ever being purged).
///
/// ```swift
/// let summary = try GraphFileReader(url: file).read { outcome in
///     if case .accepted(_, let edges) = outcome { for edge in edges { try emit(edge) } }
/// }
/// ```
public struct GraphFileReader: Sendable {
    public let url: URL
    public let now: Date
    public let limits: CSVLimits

    /// - Throws: `BakeryError.invalidInput` when the file name has no accepted ending.
    public init(url: URL, now: Date = Date(), limits: CSVLimits = .standard) throws {
        _ = try CSVContainer.of(url)
        self.url = url
        self.now = now
        self.limits = limits
    }

    /// Reads the file, calling `body` once per data row in file order.
    /// - Parameter progress: as in ``CSVFileReader/read(header:records:progress:)``.
    /// - Throws: `BakeryError.invalidInput` for an unreadable or empty file, a header that cannot work (see
    ///   ``GraphHeaderMapping``), or a file with no data rows; and whatever `body` or `progress` throws.
    public func read(
        progress: (Double) throws -> Void = { _ in }, _ body: (GraphRowOutcome) throws -> Void
    ) throws -> GraphReadSummary {
        var parser: GraphRowParser?
        var summary = GraphReadSummary()
        let csvSummary = try CSVFileReader(url: url, limits: limits).read(
            header: { names in
                do {
                    let mapping = try GraphHeaderMapping(header: names)
                    parser = GraphRowParser(mapping: mapping, now: now)
                    summary.ignoredColumns = mapping.ignoredColumns
                } catch let BakeryError.invalidInput(message) {
                    throw BakeryError.invalidInput("\(url.path): \(message)")
                }
            },
            records: { event in
                guard let parser else { return }
                let outcome = parser.outcome(for: event)
                switch outcome {
                case .accepted(_, let edges):
                    summary.accepted += 1
                    summary.edges += edges.count
                case .rejected: summary.rejected += 1
                }
                try body(outcome)
            },
            progress: progress)
        summary.rows = csvSummary.rows
        guard summary.rows > 0 else {
            throw BakeryError.invalidInput("\(url.path): the file has a header but no data rows")
        }
        return summary
    }
}

/// Turns one CSV record of a graph file into edges or a rejection. Never sees more than one row.
struct GraphRowParser: Sendable {
    let mapping: GraphHeaderMapping
    let now: Date
    private let hashColumns: [(index: Int, column: GraphColumn, kind: IdentifierKind)]

    init(mapping: GraphHeaderMapping, now: Date) {
        self.mapping = mapping
        self.now = now
        self.hashColumns = mapping.hashColumns
    }

    func outcome(for event: CSVEvent) -> GraphRowOutcome {
        switch event {
        case .rejected(let bad):
            return .rejected(
                CRMRowRejection(
                    row: bad.row, line: bad.line, reason: RejectionReason(bad.problem),
                    column: bad.column.flatMap(mapping.name(at:))))
        case .record(let record):
            return outcome(for: record)
        }
    }

    private func outcome(for record: CSVRecord) -> GraphRowOutcome {
        func reject(_ reason: RejectionReason, _ index: Int, masked: Bool = true) -> GraphRowOutcome {
            let value = record.fields[index].trimmingWhitespace()
            return .rejected(
                CRMRowRejection(
                    row: record.row, line: record.line, reason: reason, column: mapping.name(at: index),
                    maskedValue: value.isEmpty ? nil : (masked ? MaskedValue.generic(value) : String(value.prefix(16)))))
        }
        let node: GraphNode
        if let index = mapping.columns[.daID] {
            let value = record.fields[index].trimmingWhitespace()
            guard DAID.isValid(value) else { return reject(.invalidDAID, index) }
            node = .daID(value)
        } else if let index = mapping.columns[.deviceID], let typeIndex = mapping.columns[.deviceType] {
            let kind: GraphNode.DeviceKind
            switch record.fields[typeIndex].trimmingWhitespace().uppercased() {
            case "IDFA": kind = .idfa
            case "AAID": kind = .aaid
            // A device type is not personal data: shown as written (cut short), so a typo is easy to spot.
            default: return reject(.invalidDeviceType, typeIndex, masked: false)
            }
            guard let id = DeviceID.normalise(record.fields[index]) else {
                return reject(kind == .idfa ? .invalidIDFA : .invalidAAID, index)
            }
            node = .device(kind, id)
        } else {
            preconditionFailure("GraphHeaderMapping guarantees a node column")
        }
        var identifiers: [Identifier] = []
        for (index, _, kind) in hashColumns {
            let cell = record.fields[index]
            if cell.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard let hash = PrehashedValue.parse(cell) else { return reject(.invalidHash, index) }
            identifiers.append(Identifier(kind, hash))
        }
        var lastSeen = now
        if let index = mapping.columns[.lastSeen] {
            let text = record.fields[index].trimmingWhitespace()
            if !text.isEmpty {
                guard let time = Self.time(text), time <= now.addingTimeInterval(86_400) else {
                    return reject(.invalidLastSeen, index, masked: false)
                }
                lastSeen = time
            }
        }
        guard !identifiers.isEmpty else {
            return .rejected(CRMRowRejection(row: record.row, line: record.line, reason: .noIdentifier))
        }
        return .accepted(
            row: record.row, edges: identifiers.map { GraphEdge(node: node, identifier: $0, lastSeen: lastSeen) })
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` read by hand (a formatter per row would dominate a million-row import); anything else
    /// through ``ISOTime/parse(_:)``.
    static func time(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        if bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
            let day = Day(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
            let hours = number(bytes[11..<13]), let minutes = number(bytes[14..<16]),
            let seconds = number(bytes[17..<19]), hours < 24, minutes < 60, seconds < 60
        {
            return day.start.addingTimeInterval(TimeInterval(hours * 3600 + minutes * 60 + seconds))
        }
        return ISOTime.parse(text)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
