import Foundation

extension DemoClientData {
    /// The day the demo's opt-out upload removed records; before it they were still active.
    var optOutDay: Day { today.adding(days: -10) }

    /// Writes the client, its upload history, records, graph edges, syncs, snapshots and export history.
    func write(to store: any Store, now: Date, by actor: Operator, summary: inout DemoSummary) async throws {
        let client = Client(
            id: profile.id, name: profile.name, country: profile.country, dmp: profile.dmp,
            partners: profile.client.partners, createdAt: today.adding(days: -60).start)
        try await store.addClient(client, audit: .clientAdded(client, by: actor, at: now))
        let (initial, optOut) = try await writeUploads(to: store)
        summary.clients += 1
        summary.uploads += 2

        for batch in people.chunked(100_000) {
            try await store.insertRecords(
                batch.map { person in
                    var record = person.record
                    record.active = !person.removed
                    record.uploadID = person.removed ? optOut : initial
                    return record
                })
        }
        summary.records += people.count
        summary.identifiers += people.reduce(0) { $0 + $1.record.identifiers.count }

        for batch in edges.chunked(200_000) {
            try await store.upsertGraphEdges(
                batch.map { edge in
                    GraphEdge(
                        node: .daID(daIDs[Int(edge.browser)]), identifier: edge.identifier,
                        lastSeen: edge.lastSeen.start)
                })
        }
        summary.graphEdges += edges.count

        var days = 0
        for batch in pairs.chunked(100_000) {
            let hits = batch.flatMap { pair in
                pair.activity.map { day, hits in
                    SyncHit(
                        partner: profile.partner, cookieID: pair.cookieID, daID: daIDs[Int(pair.browser)],
                        site: DemoClientData.sites[Int(pair.browser) % DemoClientData.sites.count],
                        at: day.start.addingTimeInterval(Double(pair.browser % 86_400)), hits: hits)
                }
            }
            days += hits.count
            try await store.recordSyncHits(hits)
        }
        summary.syncPairs += pairs.count
        summary.syncDays += days

        let snapshots = self.snapshots()
        try await store.saveSnapshots(snapshots)
        summary.snapshots += snapshots.count
        let runs = exportHistory(now: now)
        for run in runs { _ = try await store.addExportRun(run, audit: nil) }
        summary.exportRuns += runs.count
    }

    private func writeUploads(to store: any Store) async throws -> (initial: Int64?, optOut: Int64?) {
        let total = people.count
        let removed = people.filter(\.removed).count
        let rejected = total / 67
        let duplicates = total / 125
        let start = today.adding(days: -40).start.addingTimeInterval(9 * 3600)
        let initial = try await store.addUpload(
            Upload(
                clientID: profile.id, mode: .replace, source: .dropZone, fileName: "20260101_090000.csv.gz",
                startedAt: start, finishedAt: start.addingTimeInterval(Double(total) / 40_000 + 2),
                rows: total + rejected + duplicates,
                accepted: total, rejected: rejected, duplicates: duplicates, recordsBefore: 0, recordsAfter: total,
                status: .applied))
        let optStart = optOutDay.start.addingTimeInterval(14 * 3600)
        let optOut = try await store.addUpload(
            Upload(
                clientID: profile.id, mode: .remove, source: .cli, fileName: "opt-out.csv",
                startedAt: optStart, finishedAt: optStart.addingTimeInterval(1), rows: removed + removed / 10,
                accepted: removed, rejected: 0, duplicates: 0, recordsBefore: total, recordsAfter: total - removed,
                status: .applied))
        return (initial.id, optOut.id)
    }

    static let sites = [
        "www.nu.nl", "www.telegraaf.nl", "www.aftonbladet.se", "www.expressen.se", "www.hs.fi",
        "www.iltalehti.fi", "www.marktplaats.nl", "www.blocket.se",
    ]
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
