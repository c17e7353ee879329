import BakeryCore
import Foundation

extension StoreConformance {
    /// A DA id as the server mints them (32 lower-case hex digits), from a label.
    static func da(_ label: String) -> String { String(Fixtures.hash("da/\(label)").hex.prefix(32)) }

    static func hit(_ partner: String, _ cookie: String, _ daID: String, _ at: Date) -> SyncHit {
        SyncHit(partner: partner, cookieID: cookie, daID: daID, site: nil, at: at)
    }

    static func exported(_ store: any Store, _ client: String, _ day: Day) async throws -> [ExportPair] {
        let collected = Collected()
        try await store.exportPairs(clientID: client, day: day) { collected.append($0) }
        return collected.pairs
    }

    static let privacyCases: [StoreConformanceCase] = [
        .init("a purge removes only what is older than each cutoff, per client, audited, every kept day's export unchanged") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            let today = Day(Fixtures.now)
            let cutoff = today.adding(days: -5)
            let (old, kept, fresh) = (da("old"), da("kept"), da("fresh"))
            let record = Fixtures.record("acme", "r1")
            try await store.insertRecords([record, Fixtures.record("acme", "gone", active: false)])
            try await store.recordSyncHits([
                hit("acme-dmp", "c-old", old, today.adding(days: -10).start),
                hit("acme-dmp", "c-kept", kept, today.adding(days: -10).start),
                hit("acme-dmp", "c-kept", kept, today.adding(days: -1).start),
                hit("beta-dmp", "b-old", old, today.adding(days: -10).start),
                // Exactly at the cutoff: kept.
                hit("beta-dmp", "b-edge", fresh, cutoff.start),
            ])
            let longAgo = today.adding(days: -30).start
            try await store.upsertGraphEdges([
                GraphEdge(node: .daID(old), identifier: record.identifiers[0], lastSeen: longAgo),
                // Old, but its DA id has a pair seen since the cutoff: the export of day -1 needs it.
                GraphEdge(node: .daID(kept), identifier: record.identifiers[0], lastSeen: longAgo),
                GraphEdge(node: .device(.idfa, "6d92078a-8246-4ba4-ae5b-76104861e7dc"), identifier: record.identifiers[0], lastSeen: longAgo),
                GraphEdge(node: .daID(fresh), identifier: record.identifiers[0], lastSeen: cutoff.start),
            ])
            _ = try await store.appendAudit(
                AuditEntry(at: today.adding(days: -100).start, actor: "ops", action: "upload.apply", clientID: "acme", detail: "old"))
            _ = try await store.appendAudit(AuditEntry(at: today.adding(days: -100).start, actor: "ops", action: "client.add", detail: "old"))
            let before = try await exported(store, "acme", today.adding(days: -1))
            try check(before == [ExportPair(cookieID: "c-kept", recordID: "r1")], "export before: \(before)")

            let cutoffs = PurgeCutoffs(
                syncDay: cutoff, graphBefore: cutoff.start, removedRecordsBefore: Date().addingTimeInterval(86_400),
                auditBefore: today.adding(days: -50).start, exportDay: cutoff)
            let report = try await store.purge(PurgeRequest(cutoffs: cutoffs, actor: Fixtures.actor, at: Fixtures.now))
            try check(
                report.clients == [
                    "acme": RemovedRows(syncPairs: 1, syncActivity: 2, records: 1, auditEntries: 1),
                    "beta": RemovedRows(syncPairs: 1, syncActivity: 1),
                ], "per client: \(report.clients)")
            try check(report.graphEdges == 2 && report.otherAuditEntries == 1, "graph \(report.graphEdges), other audit \(report.otherAuditEntries)")
            try check(try await store.syncPairs(daID: old).isEmpty, "pairs not seen since the cutoff are gone")
            let keptActivity = try await store.syncActivity(partner: "acme-dmp", cookieID: "c-kept", daID: kept, since: today.adding(days: -20))
            try check(keptActivity == [today.adding(days: -1): 1], "only the kept day's activity stays: \(keptActivity)")
            try check(try await store.syncPairs(daID: fresh).count == 1, "a pair seen exactly at the cutoff stays")
            try check(try await store.graphEdges(node: .daID(kept)).count == 1, "the edge a kept day's export reads stays")
            try check(try await store.graphEdges(node: .daID(old)).isEmpty, "an old edge of a purged DA id goes")
            try check(try await store.graphEdges(hash: record.identifiers[0].hash).count == 2, "kept and fresh edges stay")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 1 && counts.removedRecords == 0, "the removed record went: \(counts)")
            try check(try await exported(store, "acme", today.adding(days: -1)) == before, "the kept day exports the same")
            let log = try await store.auditLog(clientID: nil, limit: 10)
            try check(log.first?.action == "privacy.purge", "audited: \(log.map(\.action))")
            try check(!log.contains { $0.detail == "old" }, "old audit entries went: \(log.map(\.detail))")
            let again = try await store.purge(PurgeRequest(cutoffs: cutoffs, actor: Fixtures.actor, at: Fixtures.now))
            try check(again.clients.isEmpty && again.graphEdges == 0, "a second purge finds nothing: \(again)")
        },
        .init("hits written while a purge runs are all kept") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let today = Day(Fixtures.now)
            try await store.recordSyncHits((0..<500).map { hit("acme-dmp", "old-\($0)", da("o\($0)"), today.adding(days: -40).start) })
            let cutoffs = PurgeCutoffs(
                syncDay: today.adding(days: -5), graphBefore: today.adding(days: -5).start,
                removedRecordsBefore: today.adding(days: -5).start, auditBefore: today.adding(days: -500).start,
                exportDay: today.adding(days: -5))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for batch in 0..<20 {
                        let hits = (0..<50).map { hit("acme-dmp", "new-\(batch)-\($0)", da("n\(batch)-\($0)"), Fixtures.now) }
                        _ = try await store.recordPixelBatch(PixelBatch(hits: hits))
                    }
                }
                group.addTask {
                    for _ in 0..<5 { _ = try await store.purge(PurgeRequest(cutoffs: cutoffs, actor: Fixtures.actor, at: Fixtures.now)) }
                }
                try await group.waitForAll()
            }
            let pairs = try await store.countSyncPairs(SyncPairQuery(clientID: "acme"))
            try check(pairs == 1000, "the 1000 new pairs stay, the 500 old go: \(pairs)")
        },
        .init("erasing a DA id removes its pairs at every client, their activity and its edges; it comes back as new") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            let (subject, other) = (da("subject"), da("other"))
            let day = Day(Fixtures.now)
            try await store.recordSyncHits([
                hit("acme-dmp", "c1", subject, day.adding(days: -2).start), hit("acme-dmp", "c1", subject, Fixtures.now),
                hit("beta-dmp", "b1", subject, Fixtures.now), hit("acme-dmp", "c2", other, Fixtures.now),
            ])
            let email = Identifier(.email, Fixtures.hash("e"))
            try await store.upsertGraphEdges([
                GraphEdge(node: .daID(subject), identifier: email, lastSeen: Fixtures.now),
                GraphEdge(node: .daID(other), identifier: email, lastSeen: Fixtures.now),
            ])
            let report = try await store.erase(ErasureRequest(subject: .daID(subject), actor: Fixtures.actor, at: Fixtures.now))
            try check(
                report.clients == ["acme": RemovedRows(syncPairs: 1, syncActivity: 2), "beta": RemovedRows(syncPairs: 1, syncActivity: 1)]
                    && report.graphEdges == 1, "\(report)")
            try check(try await store.syncPairs(daID: subject).isEmpty, "pairs gone")
            try check(try await store.graphEdges(node: .daID(subject)).isEmpty, "edges gone")
            try check(try await store.syncPairs(daID: other).count == 1, "another DA id's pair stays")
            try check(try await store.graphEdges(node: .daID(other)).count == 1, "another DA id's edge stays")
            let entry = try await store.auditLog(clientID: nil, limit: 1)[0]
            try check(entry.action == "privacy.erase" && !entry.detail.contains(subject), "audited without the id: \(entry)")
            let later = Fixtures.now.addingTimeInterval(3600)
            try await store.recordSyncHits([hit("acme-dmp", "c1", subject, later)])
            let back = try await store.syncPairs(daID: subject)
            try check(back.count == 1 && back[0].hits == 1 && back[0].firstSeen == later, "a new pair: \(back)")
            let activity = try await store.syncActivity(partner: "acme-dmp", cookieID: "c1", daID: subject, since: day.adding(days: -10))
            try check(activity == [Day(later): 1], "with only the new hit: \(activity)")
        },
        .init("erasing a cookie removes only that partner cookie's pairs") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme", partners: ["acme-dmp", "acme-2"]))
            let daID = da("x")
            try await store.recordSyncHits([
                hit("acme-dmp", "c1", daID, Fixtures.now), hit("acme-2", "c1", daID, Fixtures.now),
                hit("acme-dmp", "c2", daID, Fixtures.now),
            ])
            let report = try await store.erase(
                ErasureRequest(subject: .cookie(partner: "acme-dmp", cookieID: "c1"), actor: Fixtures.actor, at: Fixtures.now))
            try check(report.clients == ["acme": RemovedRows(syncPairs: 1, syncActivity: 1)] && report.graphEdges == 0, "\(report)")
            let left = try await store.syncPairs(daID: daID).map { "\($0.partner)/\($0.cookieID)" }.sorted()
            try check(left == ["acme-2/c1", "acme-dmp/c2"], "the others stay: \(left)")
        },
        .init("erasing a hash removes the records holding it at every client, its edges and their DA ids' pairs") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            let person = Fixtures.anonymousRecord("acme", "anna", kinds: [.email, .phone])
            var atBeta = Fixtures.anonymousRecord("beta", "anna", kinds: [.email])
            atBeta.recordID = "B-1"
            let bystander = Fixtures.record("acme", "r2")
            try await store.insertRecords([person, atBeta, bystander])
            let email = person.identifiers.first { $0.kind == .email }!
            let (daAnna, daOther) = (da("anna"), da("other"))
            try await store.upsertGraphEdges([
                GraphEdge(node: .daID(daAnna), identifier: email, lastSeen: Fixtures.now),
                GraphEdge(node: .daID(daOther), identifier: bystander.identifiers[0], lastSeen: Fixtures.now),
            ])
            try await store.recordSyncHits([hit("acme-dmp", "c1", daAnna, Fixtures.now), hit("acme-dmp", "c2", daOther, Fixtures.now)])
            let day = Day(Fixtures.now)
            try check(try await exported(store, "acme", day).count == 2, "both exported before")
            let report = try await store.erase(ErasureRequest(subject: .hash(email.hash), actor: Fixtures.actor, at: Fixtures.now))
            try check(
                report.clients == ["acme": RemovedRows(syncPairs: 1, syncActivity: 1, records: 1), "beta": RemovedRows(records: 1)]
                    && report.graphEdges == 1, "\(report)")
            try check(try await exported(store, "acme", day) == [ExportPair(cookieID: "c2", recordID: "r2")], "later exports omit it")
            try check(try await store.counts(clientID: "acme", now: Fixtures.now).activeRecords == 1, "the bystander stays")
            try check(try await store.counts(clientID: "beta", now: Fixtures.now).activeRecords == 0, "beta's copy went")
            let phone = person.identifiers.first { $0.kind == .phone }!
            try check(try await store.records(clientID: "acme", matching: [phone.hash]).isEmpty, "the record went whole")
            try check(try await store.graphEdges(hash: email.hash).isEmpty, "edges to the hash gone")
        },
        .init("erasing what is not there reports nothing and is still audited; a malformed DA id is refused") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let report = try await store.erase(ErasureRequest(subject: .daID(da("nobody")), actor: Fixtures.actor, at: Fixtures.now))
            try check(report.isEmpty, "\(report)")
            try check(try await store.auditLog(clientID: nil, limit: 1).first?.action == "privacy.erase", "audited")
            try await checkInvalid {
                _ = try await store.erase(ErasureRequest(subject: .daID("Not-A-DA-id"), actor: Fixtures.actor, at: Fixtures.now))
            }
        },
    ]
}
