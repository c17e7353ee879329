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
    /// How long failed files stay in each zone's `failed/` before they are shredded.
    public let failedFiles: FailedFileRule
    /// How often each zone's `failed/` is swept (a listing of it): at most once this often.
    public static let sweepInterval: TimeInterval = 600
    private var previous: [String: [String: StoredFile]] = [:]
    private var swept: [String: Date] = [:]
    private let now: @Sendable () -> Date

    public init(
        store: any Store, connector: any StorageConnector, actor: Operator, folders: [URL] = [],
        failedFiles: FailedFileRule = FailedFileRule(), now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.connector = connector
        self.actor = actor
        self.folders = folders
        self.failedFiles = failedFiles
        self.now = now
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
    /// arrival), then shreds the failed files whose time ran out (``FailedFileRule``; each zone's `failed/` is looked
    /// at once per ``sweepInterval``). Returns the receipts of the files applied.
    public func poll(
        _ zones: [DropZone], log: @Sendable (String) -> Void = { _ in }
    ) async -> [DropZoneReceipt] {
        var receipts: [DropZoneReceipt] = []
        for zone in zones {
            receipts += await apply(zone, log: log)
            await sweep(zone, log: log)
        }
        return receipts
    }

    private func apply(_ zone: DropZone, log: @Sendable (String) -> Void) async -> [DropZoneReceipt] {
        do {
            let current = try await zone.waiting()
            let ready = zone.ready(current, previous: previous[zone.source.uri] ?? [:])
            previous[zone.source.uri] = current
            guard !ready.isEmpty else { return [] }
            let receipts = await zone.process(ready, log: log)
            previous[zone.source.uri] = try await zone.waiting()
            return receipts
        } catch {
            log("\(zone.source.uri): cannot look at it: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            return []
        }
    }

    private func sweep(_ zone: DropZone, log: @Sendable (String) -> Void) async {
        let time = now()
        if let last = swept[zone.source.uri], time.timeIntervalSince(last) < Self.sweepInterval { return }
        swept[zone.source.uri] = time
        _ = await zone.sweepFailed(failedFiles, now: time, log: log)
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
