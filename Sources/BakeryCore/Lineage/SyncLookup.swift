/// Looking up one DMP cookie or DA id: what support does to answer "did this cookie sync?". Needs the `support`
/// role, whichever front end asks.
public struct SyncLookup: Sendable {
    public let store: any Store
    public let actor: Operator

    public init(store: any Store, actor: Operator) {
        self.store = store
        self.actor = actor
    }

    /// The pairs of one DMP cookie id of one partner; an unknown partner is an error, not an empty answer.
    public func pairs(partner: String, cookieID: String) async throws -> [SyncPair] {
        try await actor.require(.lookup, to: "look up a cookie of partner \(partner)", auditingIn: store)
        guard try await store.client(partner: partner) != nil else { throw BakeryError.unknownPartner(partner) }
        return try await store.syncPairs(partner: partner, cookieID: cookieID)
    }

    /// One page of a client's sync pairs: browsing them is seeing (every role), a prefix search is a lookup.
    public func page(_ query: SyncPairQuery, page request: PageRequest) async throws -> Page<SyncPair> {
        if let prefix = query.effectivePrefix {
            let column = query.order == .daID ? "DA ids" : "cookie ids"
            try await actor.require(
                .lookup, to: "search the sync table for \(column) starting '\(prefix)'", clientID: query.clientID,
                auditingIn: store)
        }
        return try await store.syncPairs(query, page: request)
    }

    /// The pairs of one DA id, across partners.
    public func pairs(daID: String) async throws -> [SyncPair] {
        try await actor.require(.lookup, to: "look up a DA id", auditingIn: store)
        return try await store.syncPairs(daID: daID)
    }
}
