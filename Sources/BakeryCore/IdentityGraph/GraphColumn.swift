/// A column of an identity-graph file (`bakery graph import`). Raw values are the canonical header names.
public enum GraphColumn: String, CaseIterable, Sendable {
    case daID = "da_id"
    case deviceID = "device_id"
    case deviceType = "device_type"
    case emailSHA256 = "email_sha256"
    case phoneSHA256 = "phone_sha256"
    case addressSHA256 = "address_sha256"
    case personalIDSHA256 = "personal_id_sha256"
    case lastSeen = "last_seen"

    /// Header spellings, folded as ``CRMColumn`` folds them (lower case, letters and digits only). The hash columns
    /// take the same aliases as in CRM update files.
    public var aliases: [String] {
        switch self {
        case .daID: ["daid"]
        case .deviceID: ["deviceid", "maid"]
        case .deviceType: ["devicetype", "dtype"]
        case .emailSHA256: CRMColumn.emailSHA256.aliases
        case .phoneSHA256: CRMColumn.phoneSHA256.aliases
        case .addressSHA256: CRMColumn.addressSHA256.aliases
        case .personalIDSHA256: CRMColumn.personalIDSHA256.aliases
        case .lastSeen: ["lastseen"]
        }
    }

    /// The identifier kind of a hash column; nil for the node and time columns.
    public var kind: IdentifierKind? {
        switch self {
        case .emailSHA256: .email
        case .phoneSHA256: .phone
        case .addressSHA256: .address
        case .personalIDSHA256: .personalID
        case .daID, .deviceID, .deviceType, .lastSeen: nil
        }
    }

    private static let byAlias: [String: GraphColumn] = {
        var table: [String: GraphColumn] = [:]
        for column in allCases {
            for alias in column.aliases { table[alias] = column }
        }
        return table
    }()

    /// The column a header cell names, or nil for a column the import does not use.
    public init?(header: String) {
        guard let column = GraphColumn.byAlias[CRMColumn.fold(header)] else { return nil }
        self = column
    }
}

/// How the columns of one identity-graph file map to ``GraphColumn``s, decided from the header row alone so a file
/// that cannot work is refused before any row is read.
///
/// Rules (each refusal is a `BakeryError.invalidInput` naming the fix):
/// - Exactly one node column: `da_id`, or `device_id` together with `device_type`.
/// - At least one hash column (`email_sha256`, `phone_sha256`, `address_sha256`, `personal_id_sha256`).
/// - Two columns meaning the same thing are refused; unknown columns are ignored and listed.
public struct GraphHeaderMapping: Sendable, Equatable {
    /// The index in the row of each column the file has.
    public let columns: [GraphColumn: Int]
    public let headerNames: [String]
    public let ignoredColumns: [String]

    public init(header: [String]) throws {
        var columns: [GraphColumn: Int] = [:]
        var ignored: [String] = []
        for (index, name) in header.enumerated() {
            guard let column = GraphColumn(header: name) else {
                ignored.append(name)
                continue
            }
            if let first = columns[column] {
                throw BakeryError.invalidInput(
                    "columns '\(header[first])' and '\(name)' both mean '\(column.rawValue)'; keep one of them")
            }
            columns[column] = index
        }
        let hasDA = columns[.daID] != nil
        let hasDevice = columns[.deviceID] != nil
        if hasDA && hasDevice {
            throw BakeryError.invalidInput(
                "the header has both 'da_id' and 'device_id'; a graph file links one kind of node, send two files")
        }
        if hasDevice != (columns[.deviceType] != nil) {
            throw BakeryError.invalidInput("'device_id' and 'device_type' (IDFA or AAID) go together; add the missing one")
        }
        guard hasDA || hasDevice else {
            throw BakeryError.invalidInput(
                "the header has no node column; a graph file needs 'da_id', or 'device_id' with 'device_type'")
        }
        guard columns.keys.contains(where: { $0.kind != nil }) else {
            throw BakeryError.invalidInput(
                "the header has no hash column; accepted are email_sha256, phone_sha256, address_sha256, "
                    + "personal_id_sha256 (case-insensitive; aliases in docs/formats.md)")
        }
        self.columns = columns
        self.headerNames = header
        self.ignoredColumns = ignored
    }

    /// The hash columns with their indexes, in file order.
    var hashColumns: [(index: Int, column: GraphColumn, kind: IdentifierKind)] {
        columns.compactMap { column, index in column.kind.map { (index, column, $0) } }.sorted { $0.index < $1.index }
    }

    /// The header name of the field at `index`, for reports.
    func name(at index: Int) -> String? {
        headerNames.indices.contains(index) ? headerNames[index] : nil
    }
}
