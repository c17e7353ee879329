import Foundation

/// What the drop zone leaves beside a picked-up file (`NAME.receipt.json` in `processed/` or `failed/`): the
/// outcome in figures, never a plain value.
public struct DropZoneReceipt: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case applied, failed, malformed }
    /// What happened to the uploaded file itself.
    public enum Disposition: String, Codable, Sendable {
        /// Held plain personal data: deleted once its hashes were committed.
        case deleted
        /// Held only hashes and record ids: kept in `processed/`.
        case processed
        /// Kept in `failed/` for an operator, private to its owner, until ``FailedFileRule`` shreds it.
        case failed
        /// Was kept in `failed/` and shredded when ``FailedFileRule/lifetime`` ran out (`shredded_at`); the receipt and
        /// the rejection report stay.
        case shredded
        /// Left where it was in `onboard/`: the upload was cancelled or the operator's role refused it, so nothing
        /// is wrong with the file (no receipt is written).
        case kept
    }

    /// The path below the drop zone root, as it arrived.
    public var file: String
    public var status: Status
    public var disposition: Disposition
    public var audience: String?
    public var client: String?
    public var mode: UpdateMode?
    public var uploadID: Int64?
    public var rows: Int?
    public var accepted: Int?
    public var rejected: [String: Int]?
    public var duplicates: Int?
    public var recordsBefore: Int?
    public var recordsAfter: Int?
    public var seconds: Double?
    /// The rejection report's file name, beside the receipt.
    public var report: String?
    public var error: String?
    public var at: String
    /// When the failed file was shredded.
    public var shreddedAt: String?

    enum CodingKeys: String, CodingKey {
        case file, status, disposition, audience, client, mode, rows, accepted, rejected, duplicates, seconds, report
        case error, at
        case uploadID = "upload_id"
        case recordsBefore = "records_before"
        case recordsAfter = "records_after"
        case shreddedAt = "shredded_at"
    }

    public init(file: String, status: Status, disposition: Disposition, at: Date = Date()) {
        self.file = file
        self.status = status
        self.disposition = disposition
        self.at = ISOTime.string(at)
    }

    mutating func fill(from summary: OnboardingSummary) {
        client = summary.client
        mode = summary.mode
        uploadID = summary.uploadID
        rows = summary.rows
        accepted = summary.accepted
        rejected = summary.rejected.byName
        duplicates = summary.duplicates
        recordsBefore = summary.recordsBefore
        recordsAfter = summary.recordsAfter
        seconds = summary.seconds
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
