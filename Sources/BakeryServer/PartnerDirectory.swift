import BakeryCore
import Foundation
import Synchronization

/// The partner keys of all clients, kept in memory so a sync request costs no database read and no actor
/// hop. Refreshed every few seconds, and at most once a second on an unknown key (a client added a moment ago
/// syncs at once; a flood of unknown keys cannot turn into a flood of queries).
final class PartnerDirectory: Sendable {
    struct Entry: Sendable {
        var clientID: String
        var callbackURL: String?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var loadedAt: ContinuousClock.Instant?
    }

    private let store: any Store
    private let state = Mutex(State())
    private let maxAge: Duration = .seconds(5)
    private let missRefresh: Duration = .seconds(1)

    init(store: any Store) { self.store = store }

    /// What the directory in memory says about a key, without waiting on the store.
    enum Lookup {
        case current(Entry?)
        /// The directory is due a reload before it answers for this key.
        case stale
    }

    func cachedEntry(for key: String) -> Lookup {
        let now = ContinuousClock.now
        return state.withLock { state in
            let entry = state.entries[key]
            guard let loadedAt = state.loadedAt else { return .stale }
            let stale = now - loadedAt > maxAge || (entry == nil && now - loadedAt > missRefresh)
            return stale ? .stale : .current(entry)
        }
    }

    /// The entry as last loaded, however old.
    func lastLoaded(_ key: String) -> Entry? { state.withLock { $0.entries[key] } }

    func entry(for key: String) async throws -> Entry? {
        if case .current(let entry) = cachedEntry(for: key) { return entry }
        // Concurrent requests may reload at the same moment; each load is a small read and the last one wins.
        let now = ContinuousClock.now
        let fresh = try await load()
        state.withLock { state in
            state.entries = fresh
            state.loadedAt = now
        }
        return fresh[key]
    }

    private func load() async throws -> [String: Entry] {
        var fresh: [String: Entry] = [:]
        for client in try await store.clients() {
            for partner in client.partners {
                fresh[partner.key] = Entry(clientID: client.id, callbackURL: partner.callbackURL)
            }
        }
        return fresh
    }
}
