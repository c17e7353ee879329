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
            guard DAID.isValid(id) else { throw BakeryError.invalidInput("--da-id takes a DA id: 32 lower-case hex digits") }
        case .cookie(let partner, let cookieID):
            guard !partner.isEmpty, !cookieID.isEmpty, cookieID.utf8.count <= 256 else {
                throw BakeryError.invalidInput("--cookie needs a partner key and a cookie id of at most 256 bytes")
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

    public init(subject: ErasureSubject, actor: Operator, at: Date = Date()) {
        self.subject = subject
        self.actor = actor
        self.at = at
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
