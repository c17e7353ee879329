import BakeryCore
import Foundation

/// The partner keys of all clients, kept in memory so a sync request costs no database read. Refreshed every
/// few seconds, and at most once a second on an unknown key (a client added a moment ago syncs at once; a
/// flood of unknown keys cannot turn into a flood of queries).
actor PartnerDirectory {
    struct Entry: Sendable {
        var clientID: String
        var callbackURL: String?
    }

    private let store: any Store
    private var entries: [String: Entry] = [:]
    private var loadedAt: ContinuousClock.Instant?
    private let maxAge: Duration = .seconds(5)
    private let missRefresh: Duration = .seconds(1)

    init(store: any Store) { self.store = store }

    func entry(for key: String) async throws -> Entry? {
        let now = ContinuousClock.now
        if loadedAt.map({ now - $0 > maxAge }) ?? true {
            try await reload(at: now)
        } else if entries[key] == nil, let loadedAt, now - loadedAt > missRefresh {
            try await reload(at: now)
        }
        return entries[key]
    }

    private func reload(at now: ContinuousClock.Instant) async throws {
        var fresh: [String: Entry] = [:]
        for client in try await store.clients() {
            for partner in client.partners { fresh[partner.key] = Entry(clientID: client.id, callbackURL: partner.callbackURL) }
        }
        entries = fresh
        loadedAt = now
    }
}
