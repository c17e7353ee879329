import Foundation

/// Polls every configured intake location (and any local drop zone) and applies what settled there: what
/// `bakery watch` and `bakery serve`'s scheduler run. One location that cannot be reached is logged and the others go
/// on; its files wait for the next poll.
public final class IntakePoller: @unchecked Sendable {
    // Unchecked: `poll` is called by one task at a time (the watch loop or the scheduler), never concurrently.
    public let store: any Store
    public let connector: any StorageConnector
    public let actor: Operator
    /// Local drop zones polled beside the configured locations (`bakery watch DIR`).
    public let folders: [URL]
    private var previous: [String: [String: StoredFile]] = [:]

    public init(store: any Store, connector: any StorageConnector, actor: Operator, folders: [URL] = []) {
        self.store = store
        self.connector = connector
        self.actor = actor
        self.folders = folders
    }

    /// The drop zones to look at: the local folders, then every client's intake locations (unless `onlyFolders`).
    /// A location this build cannot open is logged and left out; the others are still polled.
    public func zones(onlyFolders: Bool, log: @Sendable (String) -> Void = { _ in }) async throws -> [DropZone] {
        var zones = folders.map { DropZone(root: $0, store: store, actor: actor) }
        guard !onlyFolders else { return zones }
        for location in try await store.storageLocations(clientID: nil) where location.role == .intake {
            do {
                zones.append(
                    DropZone(
                        source: try connector.source(for: location), store: store, actor: actor,
                        owner: location.clientID))
            } catch {
                log("\(location.address) (\(location.clientID)): \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
        return zones
    }

    /// One look at every zone: applies the files that are ready (unchanged since the previous look, or whole on
    /// arrival). Returns their receipts.
    public func poll(
        _ zones: [DropZone], log: @Sendable (String) -> Void = { _ in }
    ) async -> [DropZoneReceipt] {
        var receipts: [DropZoneReceipt] = []
        for zone in zones {
            do {
                let current = try await zone.waiting()
                let ready = zone.ready(current, previous: previous[zone.source.uri] ?? [:])
                previous[zone.source.uri] = current
                guard !ready.isEmpty else { continue }
                receipts += await zone.process(ready, log: log)
                previous[zone.source.uri] = try await zone.waiting()
            } catch {
                log("\(zone.source.uri): cannot look at it: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
        return receipts
    }

    /// Remembers what each zone holds now without applying anything (the first look of a watch).
    public func look(_ zones: [DropZone], log: @Sendable (String) -> Void = { _ in }) async {
        for zone in zones where !zone.source.appearsWhole {
            do {
                previous[zone.source.uri] = try await zone.waiting()
            } catch {
                log("\(zone.source.uri): cannot look at it: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
    }
}
