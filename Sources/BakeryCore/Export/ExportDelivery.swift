import Crypto
import Foundation

/// Delivers a written export to the client's delivery locations: the data file, then the manifest, then the marker,
/// so a DMP that waits for the marker never reads a partial day. Re-delivering a day first removes the remote marker,
/// then replaces the same keys with the same bytes; the manifest read back must carry the local file's checksum.
/// Transient failures (connections, 5xx) are retried with backoff; the outcome goes into the export ledger and the
/// audit log.
public struct ExportDelivery: Sendable {
    public let store: any Store
    public let connector: any StorageConnector
    /// Attempts per delivery, and the wait before the second (doubling after each).
    public var attempts: Int
    public var backoff: Duration

    public init(store: any Store, connector: any StorageConnector, attempts: Int = 3, backoff: Duration = .seconds(2)) {
        self.store = store
        self.connector = connector
        self.attempts = max(1, attempts)
        self.backoff = backoff
    }

    /// Delivers `run` to every delivery location of `client`; returns the run as the ledger now has it (unchanged
    /// when the client has no delivery location). Needs the `export` role.
    @discardableResult
    public func deliver(_ run: ExportRun, client: Client, by actor: Operator) async throws -> ExportRun {
        try await actor.require(.export, to: "deliver the export of \(run.day)", clientID: client.id, auditingIn: store)
        let locations = try await store.storageLocations(clientID: client.id).filter { $0.role == .delivery }
        guard !locations.isEmpty else { return run }
        guard let runID = run.id, run.outcome == .succeeded else {
            throw BakeryError.invalidInput("run \(run.id.map { "#\($0)" } ?? "") of \(run.day) did not succeed: nothing to deliver")
        }
        var uris: [String] = []
        var failure: String?
        var tries = 0
        for location in locations {
            let (uri, attempt, error) = await deliverRetrying(run, client: client, to: location)
            tries = max(tries, attempt)
            if let error { failure = (failure.map { $0 + "; " } ?? "") + error } else if let uri { uris.append(uri) }
        }
        let previous = run.delivery?.attempts ?? 0
        let delivery = ExportRun.Delivery(
            status: failure == nil ? .delivered : .failed,
            uri: failure == nil ? uris.joined(separator: " ") : locations.map(\.address.description).joined(separator: " "),
            at: Date(), attempts: previous + tries, message: failure)
        let stored = store
        _ = try await Task { try await stored.setDelivery(delivery, runID: runID, audit: .delivery(run, delivery, by: actor)) }
            .value
        var delivered = run
        delivered.delivery = delivery
        if let failure { throw StorageFailure(.server, "delivery of \(client.id) \(run.day) failed: \(failure)", transient: true) }
        return delivered
    }

    /// One location, with retries on transient failures: the data file's URI there, or the last error.
    private func deliverRetrying(_ run: ExportRun, client: Client, to location: StorageLocation) async
        -> (uri: String?, attempts: Int, error: String?)
    {
        var wait = backoff
        for attempt in 1...attempts {
            do {
                return (try await deliverOnce(run, client: client, to: location), attempt, nil)
            } catch let failure as StorageFailure where failure.isTransient && attempt < attempts {
                try? await Task.sleep(for: wait)
                wait *= 2
            } catch {
                return (nil, attempt, (error as? LocalizedError)?.errorDescription ?? "\(error)")
            }
        }
        return (nil, attempts, "gave up")
    }

    private func deliverOnce(_ run: ExportRun, client: Client, to location: StorageLocation) async throws -> String {
        let files = try LocalExport(run: run, client: client)
        let destination = try connector.destination(for: location)
        let prefix = ExportProfile.deliveryPrefix(for: client.dmp)
        let keys = (data: prefix + files.data.lastPathComponent, manifest: prefix + files.manifest.lastPathComponent,
            marker: prefix + files.marker.lastPathComponent)
        try await destination.remove(keys.marker)
        try await destination.put(files.data, as: keys.data)
        try await destination.put(files.manifest, as: keys.manifest)
        let local = try Data(contentsOf: files.manifest)
        guard let remote = try await destination.read(keys.manifest, limit: 1 << 20), remote == local else {
            throw StorageFailure(
                .server, "\(destination.uri)\(keys.manifest): the manifest read back differs from the one put; no marker written",
                transient: true)
        }
        try await destination.put(files.marker, as: keys.marker)
        return destination.uri + keys.data
    }
}

/// A succeeded run's three local files, checked against the ledger before any of them leaves the machine.
struct LocalExport {
    var data: URL
    var manifest: URL
    var marker: URL

    init(run: ExportRun, client: Client) throws {
        guard let data = run.localFile else {
            throw BakeryError.invalidInput("run #\(run.id ?? 0) of \(run.day) has no local data file to deliver")
        }
        let folder = data.deletingLastPathComponent()
        self.data = data
        manifest = folder.appendingPathComponent("\(client.id)_\(run.day).manifest.json")
        marker = folder.appendingPathComponent("\(client.id)_\(run.day).done")
        for file in [data, manifest, marker] where !FileManager.default.fileExists(atPath: file.path) {
            throw BakeryError.invalidInput(
                "\(file.path) is gone; export the day again (`bakery export \(client.id) --date \(run.day) --deliver`)")
        }
        let sha = try Self.sha256(of: data)
        guard sha == run.sha256 else {
            throw BakeryError.invalidInput(
                "\(data.path) does not match the ledger (sha256 \(sha), recorded \(run.sha256 ?? "-")); export the day again")
        }
    }

    static func sha256(of file: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw BakeryError.invalidInput("cannot read \(file.path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
