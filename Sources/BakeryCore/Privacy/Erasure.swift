import Foundation

/// Whose data a data-subject erasure removes (docs/privacy.md, Erasure).
public enum ErasureSubject: Sendable, Equatable {
    /// Bakery's own browser id: its sync pairs (with their activity) at every client, and its graph edges.
    case daID(String)
    /// One DMP cookie of one partner: its sync pairs (with their activity).
    case cookie(partner: String, cookieID: String)
    /// A hashed identifier (an e-mail's, a phone's…): every CRM record at every client holding it, every graph edge
    /// reaching it, and the sync pairs of the DA ids those edges tie to it.
    case hash(IdentifierHash)

    /// What kind of subject, for the audit log, which never keeps the erased id itself.
    public var kind: String {
        switch self {
        case .daID: "DA id"
        case .cookie(let partner, _): "cookie of partner \(partner)"
        case .hash: "identifier hash"
        }
    }

    /// Checks the id's form: a DA id as the server mints them, a cookie id within the sync endpoint's limits.
    public func validate() throws {
        switch self {
        case .daID(let id):
            guard DAID.isValid(id) else { throw BakeryError.invalidInput("a DA id is 32 lower-case hex digits") }
        case .cookie(let partner, let cookieID):
            guard !partner.isEmpty, !cookieID.isEmpty, cookieID.utf8.count <= 256 else {
                throw BakeryError.invalidInput("a cookie to erase needs a partner key and a cookie id of at most 256 bytes")
            }
        case .hash: break
        }
    }
}

/// One erasure for ``Store/erase(_:)``.
public struct ErasureRequest: Sendable, Equatable {
    public var subject: ErasureSubject
    public var actor: Operator
    public var at: Date
    /// The data-subject request this serves (a ticket number), kept in the audit entry in place of the erased id.
    public var reference: String?

    public init(subject: ErasureSubject, actor: Operator, at: Date = Date(), reference: String? = nil) {
        self.subject = subject
        self.actor = actor
        self.at = at
        self.reference = reference
    }

    /// The longest reference kept.
    public static let maxReferenceLength = 100

    /// Checks the subject and the reference.
    public func validate() throws {
        try subject.validate()
        if let reference { try Self.validate(reference: reference) }
    }

    /// A reference is 1 to ``maxReferenceLength`` printable characters.
    public static func validate(reference: String) throws {
        guard !reference.isEmpty, reference.count <= maxReferenceLength,
            !reference.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw BakeryError.invalidInput(
                "a request reference is 1 to \(maxReferenceLength) printable characters (a ticket number)")
        }
    }
}

/// Data-subject erasure for every front end (`bakery erase`, the console): checks the request and the role
/// (`administer`: admins only), then erases across every client, audited (``Store/erase(_:)``).
public struct Erasure: Sendable {
    public let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func run(_ request: ErasureRequest) async throws -> ErasureReport {
        try request.validate()
        try await request.actor.require(.administer, to: "erase a data subject", auditingIn: store)
        return try await store.erase(request)
    }
}

/// What an erasure removed.
public struct ErasureReport: Sendable, Equatable, Codable {
    /// Per client, by client id; clients with nothing removed are absent.
    public var clients: [String: RemovedRows]
    public var graphEdges: Int

    public init(clients: [String: RemovedRows] = [:], graphEdges: Int = 0) {
        self.clients = clients
        self.graphEdges = graphEdges
    }

    /// True when nothing was found to remove.
    public var isEmpty: Bool { graphEdges == 0 && clients.values.allSatisfy(\.isEmpty) }

    enum CodingKeys: String, CodingKey {
        case clients
        case graphEdges = "graph_edges"
    }
}
