/// One hashed identifier of a CRM record.
public struct Identifier: Hashable, Codable, Sendable {
    public var kind: IdentifierKind
    public var hash: IdentifierHash

    public init(_ kind: IdentifierKind, _ hash: IdentifierHash) {
        self.kind = kind
        self.hash = hash
    }
}

/// A client's customer as Bakery holds it: an id and the hashes of its identifiers, never plain text.
public struct CRMRecord: Hashable, Codable, Sendable {
    public var clientID: String
    /// The client's own id (`custom` column) when given, else the primary identifier's hash in lower-case hex.
    public var recordID: String
    public var identifiers: [Identifier]
    /// False once an opt-out or replace upload removed it; removed records never match or export.
    public var active: Bool
    /// The upload that last added or changed the record, when known.
    public var uploadID: Int64?

    public init(
        clientID: String, recordID: String, identifiers: [Identifier], active: Bool = true, uploadID: Int64? = nil
    ) {
        self.clientID = clientID
        self.recordID = recordID
        self.identifiers = identifiers
        self.active = active
        self.uploadID = uploadID
    }

    /// The identifier that names the record when the client gave no id of its own: the first by kind rank.
    public static func primary(of identifiers: [Identifier]) -> Identifier? {
        identifiers.min { ($0.kind, $0.hash) < ($1.kind, $1.hash) }
    }
}
