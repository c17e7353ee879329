import BakeryCore
import Foundation

/// The intake and delivery flows, run the same way against every kind of location — a local folder, a real S3
/// server, a real SFTP server — so each backend is held to one behaviour. Each flow sets up its own client on
/// `store` and throws a ``ConformanceFailure`` naming the broken expectation.
public enum StorageFlows {
    /// Three plain e-mails with the client's own record ids: a file whose plain text must be deleted once applied.
    public static let plainFile = "email,custom\r\n Ann@Example.NL ,C-1\r\nbob@example.nl,C-2\r\ncarl@example.nl,C-3\r\n"
    /// The same people as pre-hashed values: moved to `processed/` once applied.
    public static var hashedFile: String {
        "email_sha256,custom\r\n" + ["ann@example.nl", "bob@example.nl"].enumerated().map {
            "\(IdentifierHash.sha256(of: $0.element).hex),H-\($0.offset)\r\n"
        }.joined()
    }

    static let actor = Operator(name: "ops", role: .ops)

    /// Adds client `id` with audience `audience` and the given locations (their client id replaced).
    public static func client(
        _ id: String, audience: String, in store: any Store, locations: [StorageLocation]
    ) async throws -> Client {
        var client = Fixtures.client(id)
        client.audience = audience
        try await store.addClient(client)
        for var location in locations {
            location.clientID = id
            _ = try await location.add(to: store, by: Fixtures.actor)
        }
        return client
    }

    /// Puts `text` under `key` at the location, as a client's upload would arrive.
    public static func drop(_ text: String, as key: String, into source: any FileSource) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-drop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(URL(fileURLWithPath: key).lastPathComponent)
        try Data(text.utf8).write(to: file)
        try await source.put(file, as: key)
    }

    /// Polls until nothing is waiting (at most `polls` looks), as `bakery watch` does; a location that cannot be
    /// looked at counts as still holding files.
    public static func pollUntilDone(_ poller: IntakePoller, polls: Int = 4) async throws -> [DropZoneReceipt] {
        let zones = try await poller.zones(onlyFolders: false)
        await poller.look(zones)
        var receipts: [DropZoneReceipt] = []
        for _ in 0..<polls {
            receipts += await poller.poll(zones)
            var waiting = 0
            for zone in zones { waiting += (try? await zone.waiting().count) ?? 1 }
            if waiting == 0 { break }
        }
        return receipts
    }

    /// A plain file is applied once and deleted, a hashed file moved to `processed/`, each with a receipt; a file
    /// with no valid row goes to `failed/` with its rejection report, nothing applied.
    public static func intakeAppliesFilesAndClearsTheInbox(
        store: any Store, intake: StorageLocation, connector: any StorageConnector, client id: String = "intake"
    ) async throws {
        let client = try await client(id, audience: "A-\(id)", in: store, locations: [intake])
        let source = try connector.source(for: intake)
        let base = "onboard/audience=A-\(id)/"
        try await drop(plainFile, as: base + "opt-in/20261130_010000.csv", into: source)
        try await drop(hashedFile, as: base + "opt-in/20261130_020000.csv", into: source)
        try await drop("email\r\nnot-an-email\r\n", as: base + "replace/20261130_030000.csv", into: source)
        let poller = IntakePoller(store: store, connector: connector, actor: actor)
        let receipts = try await pollUntilDone(poller)
        try check(receipts.map(\.status) == [.applied, .applied, .failed], "receipts: \(receipts.map(\.status))")
        try check(receipts.map(\.disposition) == [.deleted, .processed, .failed], "\(receipts.map(\.disposition))")
        let counts = try await store.counts(clientID: client.id, now: Date())
        try check(counts.activeRecords == 5, "3 + 2 records, the failed replace changed nothing: \(counts.activeRecords)")
        let left = Set(try await source.list(under: "").map(\.key))
        let below = "audience=A-\(id)/"
        let expected: Set<String> = [
            "processed/\(below)opt-in/20261130_010000.csv.receipt.json",
            "processed/\(below)opt-in/20261130_020000.csv", "processed/\(below)opt-in/20261130_020000.csv.receipt.json",
            "processed/\(below)opt-in/20261130_020000.csv.rejections.csv",
            "processed/\(below)opt-in/20261130_010000.csv.rejections.csv",
            "failed/\(below)replace/20261130_030000.csv", "failed/\(below)replace/20261130_030000.csv.receipt.json",
            "failed/\(below)replace/20261130_030000.csv.rejections.csv",
        ]
        try check(left == expected, "what is left at \(source.uri): \(left.sorted()) (expected \(expected.sorted()))")
        let uploads = try await store.uploads(clientID: client.id, limit: 10)
        try check(uploads.count == 2, "two applied uploads: \(uploads.count)")
        try check(try await poller.poll(try await poller.zones(onlyFolders: false)).isEmpty, "nothing left to apply")
    }

    /// A failed file stays in `failed/` (private to its owner where the location has modes) until its time runs out,
    /// then it is shredded while its receipt (marked `shredded`) and its masked rejection report stay.
    public static func failedFilesAreShreddedWhenTheirTimeRunsOut(
        store: any Store, intake: StorageLocation, connector: any StorageConnector, client id: String = "shred"
    ) async throws {
        _ = try await client(id, audience: "A-\(id)", in: store, locations: [intake])
        let source = try connector.source(for: intake)
        try await drop("email\r\nnot-an-email\r\n", as: "onboard/audience=A-\(id)/replace/20261130_030000.csv", into: source)
        let failed = "failed/audience=A-\(id)/replace/20261130_030000.csv"
        let rule = FailedFileRule(lifetime: 3600)
        let early = IntakePoller(
            store: store, connector: connector, actor: actor, failedFiles: rule, now: { Date().addingTimeInterval(1800) })
        let receipts = try await pollUntilDone(early)
        try check(receipts.map(\.disposition) == [.failed], "the file failed: \(receipts.map(\.disposition))")
        var left = Set(try await source.list(under: "failed/").map(\.key))
        try check(left.contains(failed), "kept in failed/ while its time runs: \(left.sorted())")
        if let local = source as? LocalFolder {
            let mode = try FileManager.default.attributesOfItem(atPath: local.url(of: failed).path)[.posixPermissions]
            try check((mode as? Int) == 0o600, "private to its owner: \(String(describing: mode))")
        }
        let late = IntakePoller(
            store: store, connector: connector, actor: actor, failedFiles: rule, now: { Date().addingTimeInterval(3700) })
        _ = await late.poll(try await late.zones(onlyFolders: false))
        left = Set(try await source.list(under: "failed/").map(\.key))
        try check(
            left == [failed + ".receipt.json", failed + ".rejections.csv"],
            "the file shredded, its receipt and report kept: \(left.sorted())")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-shred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fetched = try await source.fetch(failed + ".receipt.json", into: folder)
        let receipt = try JSONDecoder().decode(DropZoneReceipt.self, from: Data(contentsOf: fetched.url))
        fetched.discard()
        try check(receipt.disposition == .shredded && receipt.shreddedAt != nil, "receipt marked: \(receipt)")
        try check(receipt.status == .failed && receipt.error != nil, "and still says why it failed: \(receipt)")
        let again = IntakePoller(
            store: store, connector: connector, actor: actor, failedFiles: rule, now: { Date().addingTimeInterval(7200) })
        _ = await again.poll(try await again.zones(onlyFolders: false))
        let receiptAfter = Set(try await source.list(under: "failed/").map(\.key))
        try check(receiptAfter == left, "a second sweep changes nothing: \(receiptAfter.sorted())")
    }

    /// A file whose upload committed but which was not removed (the process died in between) is only removed at the
    /// next poll, never applied twice; a file of another client's audience is refused.
    public static func intakeAppliesEachObjectOnce(
        store: any Store, intake: StorageLocation, connector: any StorageConnector, client id: String = "once"
    ) async throws {
        let client = try await client(id, audience: "A-\(id)", in: store, locations: [intake])
        let source = try connector.source(for: intake)
        let key = "onboard/audience=A-\(id)/opt-in/20261130_040000.csv"
        try await drop(plainFile, as: key, into: source)
        guard let stored = try await source.list(under: "onboard/").first(where: { $0.key == key }) else {
            throw ConformanceFailure(description: "\(key) not listed at \(source.uri)")
        }
        // The upload commits with its intake key, as the drop zone's would, and then "the process dies".
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-once-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fetched = try await source.fetch(key, into: folder)
        _ = try await Onboarding(store: store).run(
            OnboardingRequest(
                clientID: client.id, file: fetched.url, mode: .add, source: .dropZone, actor: actor,
                intake: IntakeKey(location: source.uri, key: key, version: stored.version)))
        fetched.discard()
        try await drop(plainFile, as: "onboard/audience=A-someone-else/opt-in/20261130_050000.csv", into: source)
        let receipts = try await pollUntilDone(IntakePoller(store: store, connector: connector, actor: actor))
        try check(receipts.count == 2, "two files looked at: \(receipts.map(\.file))")
        try check(receipts.contains { $0.file == key && $0.status == .applied && $0.disposition == .deleted },
            "the committed file is removed: \(receipts)")
        try check(receipts.contains { $0.file.contains("someone-else") && $0.status == .failed },
            "a file of an audience no client has, or another client's, fails")
        try check(try await store.uploads(clientID: client.id, limit: 10).count == 1, "applied once")
        try check(try await store.counts(clientID: client.id, now: Date()).activeRecords == 3, "three records")
        try check(!(try await source.list(under: "onboard/").contains { $0.key == key }), "removed from onboard/")
    }

    /// A written export goes to the delivery location as data file, manifest and marker, byte for byte, under the
    /// DMP's prefix; delivering it again replaces the same keys with the same bytes.
    /// - Parameter attempts: of each delivery (more where the location fails for a while).
    public static func deliveryPutsTheDayWithItsMarkerLast(
        store: any Store, delivery: StorageLocation, connector: any StorageConnector, exportRoot: URL,
        client id: String = "deliver", attempts: Int = 2
    ) async throws {
        let client = try await client(id, audience: "A-\(id)", in: store, locations: [delivery])
        let day = Day(iso: "2026-11-29")!
        let record = Fixtures.record(id, "R-1")
        try await store.insertRecords([record])
        try await store.upsertGraphEdges([GraphEdge(node: .daID("d-\(id)"), identifier: record.identifiers[0], lastSeen: day.start)])
        try await store.recordSyncHits([
            SyncHit(partner: "\(id)-dmp", cookieID: "ck-\(id)", daID: "d-\(id)", site: nil, at: day.start.addingTimeInterval(60))
        ])
        let run = try await DeltaExport(store: store, root: exportRoot).run(client: client, day: day, by: actor)
        try check(run.rows == 1, "one pair exported: \(run.rows)")
        let deliveries = ExportDelivery(store: store, connector: connector, attempts: attempts, backoff: .milliseconds(10))
        let delivered = try await deliveries.deliver(run, client: client, by: actor)
        try check(delivered.delivery?.status == .delivered, "delivered: \(String(describing: delivered.delivery))")
        let destination = try connector.destination(for: delivery)
        let prefix = ExportProfile.deliveryPrefix(for: client.dmp)
        let name = "\(id)_\(day)"
        let local = try Data(contentsOf: try unwrap(run.localFile, "local file"))
        try check(try await destination.read(prefix + "\(name).csv.gz", limit: 1 << 24) == local, "data file byte for byte")
        let marker = try await destination.read(prefix + "\(name).done", limit: 4096)
        try check(marker.map { String(decoding: $0, as: UTF8.self) } == "\(run.sha256!)  \(name).csv.gz\n", "marker")
        let manifest = try await destination.read(prefix + "\(name).manifest.json", limit: 1 << 20)
        try check(manifest.map { String(decoding: $0, as: UTF8.self).contains(run.sha256!) } == true, "manifest")
        try check(delivered.delivery?.uri == destination.uri + prefix + "\(name).csv.gz", "\(delivered.delivery!.uri)")
        let again = try await deliveries.deliver(delivered, client: client, by: actor)
        try check(
            again.delivery?.status == .delivered && again.delivery!.attempts > delivered.delivery!.attempts,
            "second delivery: \(again.delivery!)")
        try check(try await destination.read(prefix + "\(name).csv.gz", limit: 1 << 24) == local, "same bytes again")
        let ledger = try await store.exportRuns(clientID: client.id, limit: 1).first
        try check(ledger?.delivery?.status == .delivered, "in the ledger")
    }

    static func unwrap<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw ConformanceFailure(description: "no \(what)") }
        return value
    }
}
