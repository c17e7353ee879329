import Foundation

/// The first rows of a CRM file as the Onboarding view shows them before anything is applied: each column of the
/// header with what Bakery reads it as, and a few rows normalised and hashed with their values masked. Only the file's
/// first chunk is read; nothing is stored, and no plain value leaves this type unmasked.
public struct CRMFilePreview: Sendable, Equatable {
    /// A header cell and the column it maps to; nil when the column is ignored.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var mapped: CRMColumn?
    }

    /// One sample row: its masked cells and what it became.
    public struct Sample: Sendable, Equatable {
        /// Data row number (1 = the first row after the header).
        public var row: Int
        /// The mapped columns' values of this row, masked, in header order.
        public var masked: [(column: String, value: String)]
        public var outcome: Outcome

        public static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.row == rhs.row && lhs.outcome == rhs.outcome && lhs.masked.map(\.column) == rhs.masked.map(\.column)
                && lhs.masked.map(\.value) == rhs.masked.map(\.value)
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// The record id and the hashes the row gives.
        case accepted(recordID: String, identifiers: [Identifier])
        case rejected(RejectionReason, column: String?)
    }

    public var columns: [Column]
    public var samples: [Sample]
    /// The file's size as stored.
    public var bytes: Int

    /// True when the mapped columns are only pre-hashed identifiers and the client's record id (as an upload's
    /// ``OnboardingSummary/hashedOnly``).
    public var isHashedOnly: Bool {
        let mapped = columns.compactMap(\.mapped)
        return !mapped.isEmpty && mapped.allSatisfy { $0.isPrehashed || $0 == .custom }
    }

    /// Reads the header and the first `rows` data rows of `file`, as the upload would for a client of `country`.
    /// - Throws: ``BakeryError/invalidInput(_:)`` for a file that cannot be read or a header that cannot work; the
    ///   message names the file.
    public static func read(
        _ file: URL, clientID: String, country: String, rows: Int = 5, today: Day = Day(Date())
    ) throws -> CRMFilePreview {
        let reader = try CSVFileReader(url: file)
        var mapping: CRMHeaderMapping?
        var samples: [Sample] = []
        struct Enough: Error {}
        do {
            _ = try reader.read(
                header: { names in
                    do {
                        mapping = try CRMHeaderMapping(header: names, country: country)
                    } catch let BakeryError.invalidInput(message) {
                        throw BakeryError.invalidInput("\(file.lastPathComponent): \(message)")
                    }
                },
                records: { event in
                    guard let mapping else { return }
                    let parser = CRMRowParser(clientID: clientID, country: country, mapping: mapping, today: today)
                    samples.append(sample(event, mapping: mapping, parser: parser))
                    if samples.count >= rows { throw Enough() }
                })
        } catch is Enough {}
        guard let mapping else { throw BakeryError.invalidInput("\(file.lastPathComponent): the file is empty") }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        let mapped = Dictionary(uniqueKeysWithValues: mapping.columns.map { ($0.index, $0.column) })
        return CRMFilePreview(
            columns: mapping.headerNames.enumerated().map { Column(name: $0.element, mapped: mapped[$0.offset]) },
            samples: samples, bytes: bytes)
    }

    private static func sample(_ event: CSVEvent, mapping: CRMHeaderMapping, parser: CRMRowParser) -> Sample {
        let outcome: Outcome =
            switch parser.outcome(for: event) {
            case .accepted(_, let record): .accepted(recordID: record.recordID, identifiers: record.identifiers)
            case .rejected(let rejection): .rejected(rejection.reason, column: rejection.column)
            }
        guard case .record(let record) = event else { return Sample(row: rowNumber(event), masked: [], outcome: outcome) }
        let masked = mapping.columns.compactMap { index, column -> (String, String)? in
            guard index < record.fields.count else { return nil }
            let value = column == .custom ? record.fields[index] : MaskedValue.mask(record.fields[index], column: column)
            return (mapping.headerNames[index], value)
        }
        return Sample(row: record.row, masked: masked, outcome: outcome)
    }

    private static func rowNumber(_ event: CSVEvent) -> Int {
        switch event {
        case .record(let record): record.row
        case .rejected(let bad): bad.row
        }
    }
}
