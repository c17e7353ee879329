import BakeryCore
import Foundation
import Synchronization

/// The partner keys of all clients, kept in memory so a sync request costs no database read and no actor
/// hop. Refreshed every few seconds in the background (a known key is answered from memory meanwhile), and at most
/// once a second on an unknown key, which then waits for the reload (a client added a moment ago syncs at once; a
/// flood of unknown keys cannot turn into a flood of queries).
final class PartnerDirectory: Sendable {
    struct Entry: Sendable {
        var clientID: String
        var callbackURL: String?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var loadedAt: ContinuousClock.Instant?
        var refreshing = false
    }

    private let store: any Store
    private let state = Mutex(State())
    private let maxAge: Duration = .seconds(5)
    private let missRefresh: Duration = .seconds(1)

    init(store: any Store) { self.store = store }

    /// What the directory in memory says about a key, without waiting on the store.
    enum Lookup {
        case current(Entry?)
        /// The key is not known and the directory is due a reload before it says so.
        case stale
    }

    func cachedEntry(for key: String) -> Lookup {
        let now = ContinuousClock.now
        let (lookup, refresh) = state.withLock { state -> (Lookup, Bool) in
            guard let loadedAt = state.loadedAt else { return (.stale, false) }
            guard let entry = state.entries[key] else { return (now - loadedAt > missRefresh ? .stale : .current(nil), false) }
            guard now - loadedAt > maxAge, !state.refreshing else { return (.current(entry), false) }
            state.refreshing = true
            return (.current(entry), true)
        }
        if refresh { Task { try? await reload() } }
        return lookup
    }

    /// The entry as last loaded, however old.
    func lastLoaded(_ key: String) -> Entry? { state.withLock { $0.entries[key] } }

    /// Loads every partner now. Concurrent reloads may run at the same moment (unknown keys wait for one); each is
    /// a small read and the last one wins.
    func reload() async throws {
        let now = ContinuousClock.now
        do {
            let fresh = try await load()
            state.withLock { state in
                state.entries = fresh
                state.loadedAt = now
                state.refreshing = false
            }
        } catch {
            state.withLock { $0.refreshing = false }
            throw error
        }
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
