import BakeryCore
import Foundation

extension StoreConformance {
    static func location(
        _ client: String, _ role: StorageLocation.Role, _ url: String, endpoint: String? = nil
    ) throws -> StorageLocation {
        StorageLocation(
            clientID: client, role: role, address: try StorageAddress(parsing: url), endpoint: endpoint,
            region: url.hasPrefix("s3") ? "eu-central-1" : nil, pathStyle: endpoint != nil, createdAt: Fixtures.now)
    }

    static let storageCases: [StoreConformanceCase] = [
        .init("storage locations round-trip per client, with their audit entry, and are removed with theirs") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            let intake = try location("acme", .intake, "s3://acme-crm/bakery/", endpoint: "http://127.0.0.1:9000")
            let stored = try await store.addStorageLocation(intake, audit: .storageAdded(intake, by: Fixtures.actor))
            var expected = intake
            expected.id = stored.id
            try check(stored.id != nil && stored == expected, "returned with its id: \(stored)")
            let delivery = try await store.addStorageLocation(
                try location("beta", .delivery, "sftp://bakery@files.example:2222/in/"),
                audit: .storageAdded(try location("beta", .delivery, "sftp://bakery@files.example:2222/in/"), by: Fixtures.actor))
            try check(try await store.storageLocations(clientID: "acme") == [stored], "one client's")
            try check(try await store.storageLocations(clientID: nil).map(\.clientID) == ["acme", "beta"], "all, by client")
            try await store.removeStorageLocation(id: delivery.id!, audit: .storageRemoved(delivery, by: Fixtures.actor))
            try check(try await store.storageLocations(clientID: "beta").isEmpty, "removed")
            let audit = try await store.auditEntries(AuditQuery(action: "storage"), page: PageRequest(limit: 10)).items
            try check(audit.map(\.action) == ["storage.remove", "storage.add", "storage.add"], "audited: \(audit.map(\.action))")
        },
        .init("a second location of the same role and address is refused; an unknown id or client too") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let intake = try location("acme", .intake, "s3://acme-crm/")
            _ = try await store.addStorageLocation(intake, audit: .storageAdded(intake, by: Fixtures.actor))
            try await checkInvalid { _ = try await store.addStorageLocation(intake, audit: .storageAdded(intake, by: Fixtures.actor)) }
            try await checkInvalid { try await store.removeStorageLocation(id: 999, audit: .storageRemoved(intake, by: Fixtures.actor)) }
            let stranger = try location("nobody", .intake, "s3://acme-crm/")
            try await checkThrows(.unknownClient("nobody")) {
                _ = try await store.addStorageLocation(stranger, audit: .storageAdded(stranger, by: Fixtures.actor))
            }
            try check(try await store.storageLocations(clientID: nil).count == 1, "nothing else stored")
            let audit = try await store.auditEntries(AuditQuery(action: "storage"), page: PageRequest(limit: 10)).items
            try check(audit.count == 1, "no entry for a refused change: \(audit.count)")
        },
        .init("an upload from a storage object records it in its transaction; a dry run or a failed feed does not") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let key = IntakeKey(location: "s3://acme-crm/", key: "onboard/audience=a/opt-in/20261130_010000.csv", version: "etag:1")
            func upload(dryRun: Bool, fails: Bool = false) async throws -> AppliedUpload {
                let request = UploadRequest(
                    clientID: "acme", mode: .add, source: .dropZone, fileName: "20261130_010000.csv", actor: Fixtures.actor,
                    startedAt: Fixtures.now, dryRun: dryRun, intake: key)
                return try await store.applyUpload(request) { emit in
                    try emit(Fixtures.record("acme", "r1"))
                    if fails { throw FeedFailure() }
                    return UploadFeedTotals(rows: 1, rejected: 0)
                }
            }
            _ = try await upload(dryRun: true)
            try check(try await store.intakeUpload(key) == nil, "a dry run records nothing")
            _ = try? await upload(dryRun: false, fails: true)
            try check(try await store.intakeUpload(key) == nil, "a failed upload records nothing")
            let applied = try await upload(dryRun: false)
            try check(try await store.intakeUpload(key) == applied.upload.id, "recorded with its upload")
            var other = key
            other.version = "etag:2"
            try check(try await store.intakeUpload(other) == nil, "another version is another object")
            try await checkInvalid { _ = try await upload(dryRun: false) }
            try check(try await active(store, "acme") == 1, "the refused second upload stored nothing")
            try check(try await store.uploads(clientID: "acme", limit: 5).count == 1, "one ledger row")
        },
        .init("a run's delivery is stored with its audit entry and found among the undelivered when it failed") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let run = try await store.addExportRun(
                ExportRun(
                    clientID: "acme", day: Day(Fixtures.now), startedBy: "ops", startedAt: Fixtures.now,
                    finishedAt: Fixtures.now, rows: 3, file: "file:///x/acme.csv.gz", sha256: "ab", bytes: 10,
                    outcome: .succeeded))
            try check(run.delivery == nil, "no delivery yet")
            let failed = ExportRun.Delivery(
                status: .failed, uri: "s3://dmp/", at: Fixtures.now, attempts: 3, message: "connection refused")
            try await store.setDelivery(failed, runID: run.id!, audit: .delivery(run, failed, by: Fixtures.actor))
            let undelivered = try await store.exportRuns(ExportRunQuery(undelivered: true), page: PageRequest(limit: 5)).items
            try check(undelivered.map(\.id) == [run.id] && undelivered[0].delivery == failed, "\(undelivered)")
            let done = ExportRun.Delivery(status: .delivered, uri: "s3://dmp/exports/tealium/acme.csv.gz", at: Fixtures.now, attempts: 4)
            try await store.setDelivery(done, runID: run.id!, audit: .delivery(run, done, by: Fixtures.actor))
            try check(try await store.exportRuns(ExportRunQuery(undelivered: true), page: PageRequest(limit: 5)).items.isEmpty, "delivered")
            try check(try await store.exportRuns(clientID: "acme", limit: 1).first?.delivery == done, "state replaced")
            let audit = try await store.auditEntries(AuditQuery(action: "export.deliver"), page: PageRequest(limit: 5)).items
            try check(audit.map(\.outcome) == [.succeeded, .failed], "both attempts audited: \(audit.map(\.outcome))")
        },
    ]
}
