/// Why a CRM or identity-graph row was rejected. Raw values are the snake_case codes reports and `--json` use.
public enum RejectionReason: String, CaseIterable, Sendable, Codable, Comparable {
    case invalidUTF8 = "invalid_utf8"
    case wrongFieldCount = "wrong_field_count"
    case fieldTooLong = "field_too_long"
    case invalidQuoting = "invalid_quoting"
    /// No identifier cell had a value (a row with only a `custom` id counts here too).
    case noIdentifier = "no_identifier"
    case invalidEmail = "invalid_email"
    case invalidPhone = "invalid_phone"
    /// Address parts given but not a valid address in the client's country's canonical form.
    case invalidAddress = "invalid_address"
    case invalidPersonalID = "invalid_personal_id"
    /// A `*_sha256` cell that is not 64 hex characters, or is the hash of an empty value.
    case invalidHash = "invalid_hash"
    case invalidAAID = "invalid_aaid"
    case invalidIDFA = "invalid_idfa"
    case invalidCustomID = "invalid_custom_id"
    /// Identity-graph files: a `da_id` cell that is not 32 lower-case hex digits.
    case invalidDAID = "invalid_da_id"
    /// Identity-graph files: a `device_type` cell that is not IDFA or AAID.
    case invalidDeviceType = "invalid_device_type"
    /// Identity-graph files: a `last_seen` cell that is not an ISO 8601 time, or lies more than a day ahead.
    case invalidLastSeen = "invalid_last_seen"

    init(_ problem: CSVProblem) {
        switch problem {
        case .invalidUTF8: self = .invalidUTF8
        case .wrongFieldCount: self = .wrongFieldCount
        case .fieldTooLong: self = .fieldTooLong
        case .invalidQuoting: self = .invalidQuoting
        }
    }

    /// The reason for an invalid value in `column`.
    init(invalid column: CRMColumn) {
        switch column {
        case .email: self = .invalidEmail
        case .phone: self = .invalidPhone
        case .postalCode, .houseNumber, .extension, .street, .apartment: self = .invalidAddress
        case .personalID: self = .invalidPersonalID
        case .emailSHA256, .phoneSHA256, .addressSHA256, .personalIDSHA256: self = .invalidHash
        case .aaid: self = .invalidAAID
        case .idfa: self = .invalidIDFA
        case .custom: self = .invalidCustomID
        }
    }

    public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One rejected row: where, why, and at most a masked value — never the value itself.
public struct CRMRowRejection: Sendable, Equatable, Codable {
    /// Data row number (1 = first row after the header; see `CSVRecord.row`).
    public var row: Int
    /// The physical line the row starts on.
    public var line: Int
    public var reason: RejectionReason
    /// The header name of the offending column, when one column is to blame.
    public var column: String?
    /// The offending value masked by `MaskedValue`, when there is one to show.
    public var maskedValue: String?

    public init(row: Int, line: Int, reason: RejectionReason, column: String? = nil, maskedValue: String? = nil) {
        self.row = row
        self.line = line
        self.reason = reason
        self.column = column
        self.maskedValue = maskedValue
    }
}

extension Dictionary where Key == RejectionReason, Value == Int {
    /// The counts keyed by each reason's snake_case name, as reports, receipts and `--json` write them.
    public var byName: [String: Int] {
        Dictionary<String, Int>(uniqueKeysWithValues: map { ($0.key.rawValue, $0.value) })
    }
}
