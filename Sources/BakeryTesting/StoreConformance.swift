import BakeryCore
import Foundation

/// The contract every ``Store`` implementation keeps, as checks any backend can run:
///
/// ```swift
/// @Test(arguments: StoreConformance.cases)
/// func conformance(_ check: StoreConformanceCase) async throws { try await check.run(on: MyBackend()) }
/// ```
public enum StoreConformance {
    public static let cases: [StoreConformanceCase] = matchCases + clientCases + recordCases + graphCases + syncCases + ledgerCases
        + uploadCases + audienceCases + pageCases + storageCases + privacyCases
}

extension StoreConformance {
    static let clientCases: [StoreConformanceCase] = [
        .init("clients round-trip with partners and callback URLs, ordered by id") { backend in
            let store = try await backend.makeStore()
            var zed = Fixtures.client("zed", partners: ["PO_1a2b3c4d", "zed-2"], country: "SE", dmp: .piano)
            zed.partners[0].callbackURL = "https://dmp.example/sync?id=${DA_ID}"
            try await store.addClient(zed)
            try await store.addClient(Fixtures.client("acme"))
            let all = try await store.clients()
            try check(all.map(\.id) == ["acme", "zed"], "order by id: \(all.map(\.id))")
            try check(all[1] == zed, "round trip: \(all[1]) != \(zed)")
            try check(try await store.client(id: "zed") == zed, "client(id:)")
            try check(try await store.client(id: "nobody") == nil, "unknown id gives nil")
            try check(try await store.client(partner: "zed-2")?.id == "zed", "client(partner:)")
            try check(try await store.client(partner: "nope") == nil, "unknown partner gives nil")
        },
        .init("an empty store has no clients") { backend in
            let store = try await backend.makeStore()
            try check(try await store.clients().isEmpty, "no clients")
        },
        .init("a duplicate client id is refused and changes nothing") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            var again = Fixtures.client("acme", partners: ["other"])
            again.name = "Other"
            try await checkThrows(.duplicateClient("acme")) { try await store.addClient(again) }
            try check(try await store.client(id: "acme")?.name == "Client acme", "first client kept")
            try check(try await store.client(partner: "other") == nil, "no partner of the refused client")
        },
        .init("a partner key owned by another client is refused and nothing is added") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme", partners: ["shared"]))
            try await checkThrows(.duplicatePartner(key: "shared", owner: "acme")) {
                try await store.addClient(Fixtures.client("beta", partners: ["beta-1", "shared"]))
            }
            try check(try await store.client(id: "beta") == nil, "refused client not stored")
            try check(try await store.client(partner: "beta-1") == nil, "its other partner not stored")
        },
        .init("invalid client fields are refused") { backend in
            let store = try await backend.makeStore()
            try await checkInvalid { try await store.addClient(Fixtures.client("Bad Id")) }
            try await checkInvalid { try await store.addClient(Fixtures.client("ok", country: "Netherlands")) }
            try await checkInvalid { try await store.addClient(Fixtures.client("ok", partners: ["has space"])) }
            try await checkInvalid { try await store.addClient(Fixtures.client("ok", partners: ["a", "a"])) }
            var badURL = Fixtures.client("ok")
            badURL.partners[0].callbackURL = "ftp://x"
            try await checkInvalid { try await store.addClient(badURL) }
            try check(try await store.clients().isEmpty, "nothing stored")
        },
        .init("removing a client removes its records, pairs and ledgers but keeps the graph and audit") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            try await store.insertRecords([Fixtures.record("acme", "r1"), Fixtures.record("beta", "r1")])
            try await store.recordSyncHits([
                SyncHit(partner: "acme-dmp", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now)
            ])
            let edge = GraphEdge(
                node: .daID("d1"), identifier: Identifier(.email, Fixtures.hash("x")), lastSeen: Fixtures.now)
            try await store.upsertGraphEdges([edge])
            _ = try await store.appendAudit(
                AuditEntry(actor: "ops", action: "upload.apply", clientID: "acme", outcome: .failed, detail: ""))
            try await store.removeClient(id: "acme")
            try check(try await store.client(id: "acme") == nil, "client gone")
            try check(try await store.syncPairs(daID: "d1").isEmpty, "pairs gone")
            try check(try await store.graphEdges(node: .daID("d1")) == [edge], "graph kept")
            let kept = try await store.auditLog(clientID: "acme", limit: 10).map(\.action)
            try check(kept == ["client.remove", "upload.apply", "client.add"], "audit kept, removal written: \(kept)")
            try check(try await store.counts(clientID: "beta", now: Fixtures.now).activeRecords == 1, "other client kept")
            // The id is free again, and the old records do not come back with it.
            try await store.addClient(Fixtures.client("acme"))
            try check(try await store.counts(clientID: "acme", now: Fixtures.now).activeRecords == 0, "no old records")
            try await checkThrows(.unknownClient("ghost")) { try await store.removeClient(id: "ghost") }
        },
        .init("a reopened database keeps its data") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.insertRecords([Fixtures.record("acme", "r1", kinds: [.email, .phone])])
            let reopened = try await backend.reopen(store)
            try check(try await reopened.client(id: "acme") == Fixtures.client("acme"), "client survives")
            let counts = try await reopened.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 1 && counts.recordsByKind == [.email: 1, .phone: 1], "\(counts)")
        },
    ]

    static let recordCases: [StoreConformanceCase] = [
        .init("records are counted active, removed and per identifier kind") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.insertRecords([
                Fixtures.record("acme", "r1", kinds: [.email, .phone]),
                Fixtures.record("acme", "r2", kinds: [.email]),
                Fixtures.record("acme", "r3", kinds: [.address, .personalID]),
                Fixtures.record("acme", "r4", kinds: [.email], active: false),
            ])
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 3 && counts.removedRecords == 1, "\(counts)")
            try check(counts.recordsByKind == [.email: 2, .phone: 1, .address: 1, .personalID: 1], "\(counts.recordsByKind)")
        },
        .init("inserting no records changes nothing") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.insertRecords([])
            try check(try await store.counts(clientID: "acme", now: Fixtures.now) == ClientCounts(), "still empty")
        },
        .init("records of an unknown client are refused whole") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await checkThrows(.unknownClient("ghost")) {
                try await store.insertRecords([Fixtures.record("acme", "r1"), Fixtures.record("ghost", "r1")])
            }
            try check(try await store.counts(clientID: "acme", now: Fixtures.now).activeRecords == 0, "nothing written")
        },
        .init("a duplicate record id rolls the whole batch back") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.insertRecords([Fixtures.record("acme", "r1")])
            try await checkThrows(.duplicateRecord(client: "acme", recordID: "r1")) {
                try await store.insertRecords([Fixtures.record("acme", "r2"), Fixtures.record("acme", "r1")])
            }
            try await checkThrows(.duplicateRecord(client: "acme", recordID: "r3")) {
                try await store.insertRecords([Fixtures.record("acme", "r3"), Fixtures.record("acme", "r3")])
            }
            try await checkInvalid { try await store.insertRecords([Fixtures.record("acme", "")]) }
            try check(try await store.counts(clientID: "acme", now: Fixtures.now).activeRecords == 1, "only r1")
        },
        .init("the same record id may exist for two clients") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            try await store.insertRecords([Fixtures.record("acme", "r1"), Fixtures.record("beta", "r1")])
            try check(try await store.counts(clientID: "beta", now: Fixtures.now).activeRecords == 1, "beta has r1")
        },
        .init("counts of an unknown client are refused") { backend in
            let store = try await backend.makeStore()
            try await checkThrows(.unknownClient("ghost")) { try await store.counts(clientID: "ghost", now: Fixtures.now) }
        },
    ]

    static let graphCases: [StoreConformanceCase] = [
        .init("graph edges are found by node and by hash, and last seen only moves forward") { backend in
            let store = try await backend.makeStore()
            let email = Identifier(.email, Fixtures.hash("a@b.nl"))
            let phone = Identifier(.phone, Fixtures.hash("31612345678"))
            let early = Fixtures.now.addingTimeInterval(-86_400)
            let device = GraphNode.device(.idfa, "6d92078a-8246-4ba4-ae5b-76104861e7dc")
            try await store.upsertGraphEdges([
                GraphEdge(node: .daID("d1"), identifier: email, lastSeen: Fixtures.now),
                GraphEdge(node: .daID("d1"), identifier: phone, lastSeen: early),
                GraphEdge(node: device, identifier: email, lastSeen: early),
            ])
            try await store.upsertGraphEdges([
                GraphEdge(node: .daID("d1"), identifier: email, lastSeen: early),
                GraphEdge(node: .daID("d1"), identifier: phone, lastSeen: Fixtures.now),
            ])
            try await store.upsertGraphEdges([])
            let edges = try await store.graphEdges(node: .daID("d1"))
            try check(edges.count == 2, "two edges: \(edges)")
            try check(edges.allSatisfy { $0.lastSeen == Fixtures.now }, "last seen kept at the latest: \(edges)")
            let byHash = try await store.graphEdges(hash: email.hash)
            try check(Set(byHash.map(\.node)) == [.daID("d1"), device], "by hash: \(byHash)")
            try check(try await store.graphEdges(hash: Fixtures.hash("nobody")).isEmpty, "unknown hash")
            try check(try await store.graphEdges(node: .daID("nobody")).isEmpty, "unknown node")
            try await checkInvalid {
                try await store.upsertGraphEdges([GraphEdge(node: .daID(""), identifier: email, lastSeen: early)])
            }
        },
        .init("a graph import streams its edges in one transaction with an audit entry") { backend in
            let store = try await backend.makeStore()
            let email = Identifier(.email, Fixtures.hash("a@b.nl"))
            let phone = Identifier(.phone, Fixtures.hash("31612345678"))
            let early = Fixtures.now.addingTimeInterval(-86_400)
            try await store.upsertGraphEdges([GraphEdge(node: .daID("d1"), identifier: email, lastSeen: early)])
            let request = GraphImportRequest(fileName: "edges.csv", actor: Fixtures.actor, startedAt: Fixtures.now)
            let written = try await store.importGraphEdges(request) { emit in
                for index in 0..<1000 {
                    try emit(GraphEdge(node: .daID("n\(index)"), identifier: phone, lastSeen: early))
                }
                try emit(GraphEdge(node: .daID("d1"), identifier: email, lastSeen: Fixtures.now))
                try emit(GraphEdge(node: .daID("d1"), identifier: email, lastSeen: early))
            }
            try check(written == 1002, "edges written: \(written)")
            try check(try await store.graphEdges(hash: phone.hash).count == 1000, "streamed edges stored")
            let d1 = try await store.graphEdges(node: .daID("d1"))
            try check(d1.count == 1 && d1[0].lastSeen == Fixtures.now, "upserted, last seen forward only: \(d1)")
            let audit = try await store.auditEntries(AuditQuery(action: "graph"), page: PageRequest(limit: 5)).items
            try check(
                audit.count == 1 && audit[0].action == "graph.import" && audit[0].actor == "ops"
                    && audit[0].clientID == nil && audit[0].detail.contains("edges.csv"), "audit: \(audit)")
        },
        .init("a graph import whose feed throws or holds an invalid edge stores nothing") { backend in
            let store = try await backend.makeStore()
            let email = Identifier(.email, Fixtures.hash("a@b.nl"))
            let request = GraphImportRequest(fileName: "edges.csv", actor: Fixtures.actor, startedAt: Fixtures.now)
            do {
                _ = try await store.importGraphEdges(request) { emit in
                    try emit(GraphEdge(node: .daID("d1"), identifier: email, lastSeen: Fixtures.now))
                    throw FeedFailure()
                }
                try check(false, "the feed's error is passed on")
            } catch is FeedFailure {}
            try await checkInvalid {
                try await store.importGraphEdges(request) { emit in
                    try emit(GraphEdge(node: .daID("d2"), identifier: email, lastSeen: Fixtures.now))
                    try emit(GraphEdge(node: .daID(""), identifier: email, lastSeen: Fixtures.now))
                }
            }
            try check(try await store.graphEdges(hash: email.hash).isEmpty, "no edge stored")
            try check(try await store.auditLog(clientID: nil, limit: 5).isEmpty, "no audit entry")
            try check(try await store.importGraphEdges(request) { _ in } == 0, "an empty feed writes no edge")
        },
    ]

    static let syncCases: [StoreConformanceCase] = [
        .init("sync hits fold into pairs with first/last seen, hits, latest site and daily cookies") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme", partners: ["acme-a", "acme-b"]))
            let day = Day(Fixtures.now)
            let yesterday = Fixtures.now.addingTimeInterval(-86_400)
            try await store.recordSyncHits([
                SyncHit(partner: "acme-a", cookieID: "c1", daID: "d1", site: "shop.nl", at: yesterday),
                SyncHit(partner: "acme-a", cookieID: "c1", daID: "d1", site: "news.nl", at: Fixtures.now, hits: 2),
                SyncHit(partner: "acme-a", cookieID: "c2", daID: "d2", site: nil, at: Fixtures.now),
                SyncHit(partner: "acme-b", cookieID: "c9", daID: "d1", site: nil, at: yesterday),
            ])
            // An older observation arriving late must not move last seen back or replace the site.
            try await store.recordSyncHits([
                SyncHit(partner: "acme-a", cookieID: "c1", daID: "d1", site: "old.nl", at: yesterday)
            ])
            let pairs = try await store.syncPairs(partner: "acme-a", cookieID: "c1")
            try check(pairs.count == 1, "one pair: \(pairs)")
            let pair = pairs[0]
            try check(pair.firstSeen == yesterday && pair.lastSeen == Fixtures.now, "seen window: \(pair)")
            try check(pair.hits == 4 && pair.site == "news.nl" && pair.clientID == "acme", "pair: \(pair)")
            let byDA = try await store.syncPairs(daID: "d1")
            try check(Set(byDA.map(\.partner)) == ["acme-a", "acme-b"], "by DA id: \(byDA)")
            let daily = try await store.dailySyncedCookies(clientID: "acme", since: day.adding(days: -7))
            try check(daily == [day.adding(days: -1): 2, day: 2], "daily: \(daily)")
            try check(
                try await store.dailySyncedCookies(clientID: "acme", since: day) == [day: 2], "since filter")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.syncedCookies == 3 && counts.syncedCookiesLastDay == 2, "\(counts)")
            try check(try await store.syncPairs(partner: "acme-a", cookieID: "none").isEmpty, "unknown cookie")
        },
        .init("sync hits for an unknown partner or with empty ids are refused whole") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let good = SyncHit(partner: "acme-dmp", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now)
            try await checkThrows(.unknownPartner("nope")) {
                try await store.recordSyncHits([
                    good, SyncHit(partner: "nope", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now),
                ])
            }
            try await checkInvalid {
                try await store.recordSyncHits([
                    good, SyncHit(partner: "acme-dmp", cookieID: "", daID: "d1", site: nil, at: Fixtures.now),
                ])
            }
            try await checkInvalid {
                try await store.recordSyncHits([
                    SyncHit(partner: "acme-dmp", cookieID: "c", daID: "d", site: nil, at: Fixtures.now, hits: 0)
                ])
            }
            try await store.recordSyncHits([])
            try check(try await store.syncPairs(daID: "d1").isEmpty, "nothing written")
            try await checkThrows(.unknownClient("ghost")) {
                try await store.dailySyncedCookies(clientID: "ghost", since: Day(Fixtures.now))
            }
        },
        .init("a pixel batch stores its hits and edges together; hits of unknown partners are left out and counted") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let edge = GraphEdge(node: .daID("d1"), identifier: Fixtures.record("acme", "r").identifiers[0], lastSeen: Fixtures.now)
            let batch = PixelBatch(
                hits: [
                    SyncHit(partner: "acme-dmp", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now),
                    SyncHit(partner: "gone-a", cookieID: "c2", daID: "d1", site: nil, at: Fixtures.now),
                    SyncHit(partner: "gone-b", cookieID: "c3", daID: "d1", site: nil, at: Fixtures.now),
                    SyncHit(partner: "gone-a", cookieID: "c4", daID: "d1", site: nil, at: Fixtures.now),
                ],
                edges: [edge])
            let outcome = try await store.recordPixelBatch(batch)
            try check(
                outcome == PixelBatchOutcome(hitsWritten: 1, edgesWritten: 1, droppedHits: ["gone-a": 2, "gone-b": 1]),
                "\(outcome)")
            try check(try await store.syncPairs(daID: "d1").map(\.cookieID) == ["c1"], "only the known partner's hit")
            try check(try await store.graphEdges(node: .daID("d1")).count == 1, "the edge")
            try check(try await store.recordPixelBatch(PixelBatch()) == PixelBatchOutcome(), "an empty batch")
        },
        .init("a pixel batch with an invalid hit or edge stores nothing of it") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let hit = SyncHit(partner: "acme-dmp", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now)
            let identifier = Fixtures.record("acme", "r").identifiers[0]
            let good = GraphEdge(node: .daID("d1"), identifier: identifier, lastSeen: Fixtures.now)
            try await checkInvalid {
                _ = try await store.recordPixelBatch(
                    PixelBatch(hits: [hit], edges: [good, GraphEdge(node: .daID(""), identifier: identifier, lastSeen: Fixtures.now)]))
            }
            try await checkInvalid {
                _ = try await store.recordPixelBatch(
                    PixelBatch(hits: [hit, SyncHit(partner: "acme-dmp", cookieID: "", daID: "d1", site: nil, at: Fixtures.now)]))
            }
            try check(try await store.syncPairs(daID: "d1").isEmpty, "no hit stored")
            try check(try await store.graphEdges(node: .daID("d1")).isEmpty, "no edge stored")
        },
    ]

    static let ledgerCases: [StoreConformanceCase] = [
        .init("uploads get ids and list newest first, limited") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            var stored: [Upload] = []
            for index in 0..<3 {
                let at = Fixtures.now.addingTimeInterval(Double(index) * 3600)
                stored.append(
                    try await store.addUpload(
                        Upload(
                            clientID: "acme", mode: .add, source: .cli, fileName: "f\(index).csv", startedAt: at,
                            finishedAt: at.addingTimeInterval(5), rows: 10, accepted: 9, rejected: 1, duplicates: 0,
                            recordsBefore: index * 9, recordsAfter: index * 9 + 9, status: .applied)))
            }
            try check(Set(stored.compactMap(\.id)).count == 3, "distinct ids: \(stored.map(\.id))")
            let listed = try await store.uploads(clientID: "acme", limit: 2)
            try check(listed == [stored[2], stored[1]], "newest first: \(listed.map(\.fileName))")
            try check(try await store.counts(clientID: "acme", now: Fixtures.now).uploads == 3, "counted")
            try await checkThrows(.unknownClient("ghost")) { try await store.uploads(clientID: "ghost", limit: 5) }
            try await checkThrows(.unknownClient("ghost")) {
                var orphan = stored[0]
                orphan.clientID = "ghost"
                return try await store.addUpload(orphan)
            }
        },
        .init("export runs get ids, list newest first and show as the last export") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let day = Day(Fixtures.now)
            let ok = try await store.addExportRun(
                ExportRun(
                    clientID: "acme", day: day.adding(days: -1), startedBy: "scheduler", startedAt: Fixtures.now,
                    finishedAt: Fixtures.now.addingTimeInterval(2), rows: 120, file: "acme/2026-11-19.csv.gz",
                    sha256: String(repeating: "a", count: 64), bytes: 2048, outcome: .succeeded))
            let failed = try await store.addExportRun(
                ExportRun(
                    clientID: "acme", day: day, startedBy: "ops", startedAt: Fixtures.now.addingTimeInterval(60),
                    finishedAt: Fixtures.now.addingTimeInterval(61), rows: 0, file: nil, sha256: nil, bytes: 0,
                    outcome: .failed, message: "disk full"))
            try check(try await store.exportRuns(clientID: "acme", limit: 10) == [failed, ok], "newest first")
            try check(try await store.counts(clientID: "acme", now: Fixtures.now).lastExport == failed, "last export")
            try check(try await store.exportRuns(clientID: "acme", limit: 0).isEmpty, "limit 0")
            try await checkThrows(.unknownClient("ghost")) { try await store.exportRuns(clientID: "ghost", limit: 5) }
        },
        .init("client summaries give every client's headline figures in one call, agreeing with counts") { backend in
            let store = try await backend.makeStore()
            try check(try await store.clientSummaries(now: Fixtures.now).isEmpty, "no clients, no summaries")
            try await store.addClient(Fixtures.client("zed", partners: ["zed-a"]))
            try await store.addClient(Fixtures.client("acme", partners: ["acme-a", "acme-b"]))
            try await store.insertRecords([
                Fixtures.record("acme", "r1", kinds: [.email, .phone]),
                Fixtures.record("acme", "r2", kinds: [.email]),
                Fixtures.record("acme", "r3", kinds: [.email], active: false),
            ])
            let yesterday = Fixtures.now.addingTimeInterval(-86_400)
            try await store.recordSyncHits([
                SyncHit(partner: "acme-a", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now),
                // The same cookie with a second DA id still counts once.
                SyncHit(partner: "acme-a", cookieID: "c1", daID: "d2", site: nil, at: yesterday),
                SyncHit(partner: "acme-b", cookieID: "c9", daID: "d1", site: nil, at: yesterday),
            ])
            let run = try await store.addExportRun(
                ExportRun(
                    clientID: "acme", day: Day(Fixtures.now), startedBy: "ops", startedAt: Fixtures.now,
                    finishedAt: Fixtures.now, rows: 5, file: nil, sha256: nil, bytes: 0, outcome: .succeeded))
            let summaries = try await store.clientSummaries(now: Fixtures.now)
            try check(summaries.map(\.clientID) == ["acme", "zed"], "ordered by id: \(summaries)")
            try check(
                summaries[0]
                    == ClientSummary(
                        clientID: "acme", activeRecords: 2, syncedCookies: 2, syncedCookiesLastDay: 1, lastExport: run),
                "acme: \(summaries[0])")
            try check(summaries[1] == ClientSummary(clientID: "zed"), "zed has nothing yet: \(summaries[1])")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(
                counts.activeRecords == summaries[0].activeRecords && counts.syncedCookies == summaries[0].syncedCookies
                    && counts.syncedCookiesLastDay == summaries[0].syncedCookiesLastDay,
                "agrees with counts: \(counts)")
        },
        .init("snapshots replace the same day and list oldest first from a day on") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let day = Day(Fixtures.now)
            func snapshot(_ offset: Int, matched: Int) -> MatchSnapshot {
                MatchSnapshot(
                    clientID: "acme", day: day.adding(days: offset), records: 100, matchedRecords: matched,
                    syncedCookies: 50, matchedCookies: 20,
                    byKind: [.email: KindFigures(records: 90, matched: matched), .phone: KindFigures(records: 10, matched: 1)])
            }
            try await store.saveSnapshots([snapshot(-2, matched: 30), snapshot(-1, matched: 31), snapshot(0, matched: 32)])
            try await store.saveSnapshots([snapshot(0, matched: 40)])
            try await store.saveSnapshots([])
            let listed = try await store.snapshots(clientID: "acme", since: day.adding(days: -1))
            try check(listed == [snapshot(-1, matched: 31), snapshot(0, matched: 40)], "\(listed)")
            try await checkThrows(.unknownClient("ghost")) {
                try await store.saveSnapshots([MatchSnapshot(
                    clientID: "ghost", day: day, records: 0, matchedRecords: 0, syncedCookies: 0, matchedCookies: 0)])
            }
            try await checkThrows(.unknownClient("ghost")) { try await store.snapshots(clientID: "ghost", since: day) }
            try await store.addClient(Fixtures.client("able"))
            var other = snapshot(-1, matched: 5)
            other.clientID = "able"
            try await store.saveSnapshots([other])
            let everyone = try await store.snapshots(clientID: nil, since: day.adding(days: -1))
            try check(everyone == [other] + listed, "every client's, by client then day: \(everyone)")
        },
        .init("each client's latest export run comes in one read, by client") { backend in
            let store = try await backend.makeStore()
            for id in ["beta", "acme", "idle"] { try await store.addClient(Fixtures.client(id)) }
            let day = Day(Fixtures.now)
            func run(_ client: String, _ minutes: Double, rows: Int) -> ExportRun {
                ExportRun(
                    clientID: client, day: day, startedBy: "ops", startedAt: Fixtures.now.addingTimeInterval(minutes * 60),
                    finishedAt: Fixtures.now.addingTimeInterval(minutes * 60 + 5), rows: rows, file: nil, sha256: nil,
                    bytes: 0, outcome: .succeeded)
            }
            // beta's second run starts at the same second as its first: the later id wins, as in exportRuns.
            for run in [run("acme", 0, rows: 1), run("beta", 3, rows: 2), run("acme", 10, rows: 3), run("acme", -5, rows: 4),
                        run("beta", 3, rows: 5)] {
                _ = try await store.addExportRun(run, audit: .export(run, by: Fixtures.actor))
            }
            let latest = try await store.latestExportRuns()
            try check(latest.map(\.clientID) == ["acme", "beta"], "one per client that exported, by client: \(latest.map(\.clientID))")
            try check(latest.map(\.rows) == [3, 5], "the newest of each: \(latest.map(\.rows))")
            for run in latest {
                let newest = try await store.exportRuns(clientID: run.clientID, limit: 1)
                try check(newest == [run], "the same run as exportRuns' first for \(run.clientID)")
            }
        },
        .init("the audit log appends, filters by client and lists newest first") { backend in
            let store = try await backend.makeStore()
            let first = try await store.appendAudit(
                AuditEntry(at: Fixtures.now, actor: "anna", action: "upload.apply", clientID: "acme", detail: "add 10 rows"))
            let second = try await store.appendAudit(
                AuditEntry(at: Fixtures.now, actor: "scheduler", action: "export.run", clientID: nil, detail: "all"))
            try check(first.id != nil && first.id != second.id, "ids assigned")
            try check(try await store.auditLog(clientID: nil, limit: 10) == [second, first], "newest first")
            try check(try await store.auditLog(clientID: "acme", limit: 10) == [first], "client filter")
            try check(try await store.auditLog(clientID: nil, limit: 1) == [second], "limit")
            try await checkInvalid { try await store.appendAudit(AuditEntry(actor: "", action: "x", detail: "")) }
        },
    ]

    static let matchCases: [StoreConformanceCase] = [
        .init("match figures follow the rule: active records, graph DA ids, this client's sync pairs only") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme", partners: ["acme-dmp"]))
            try await store.addClient(Fixtures.client("beta", partners: ["beta-dmp"]))
            func id(_ label: String) -> IdentifierHash { Fixtures.hash(label) }
            try await store.insertRecords([
                CRMRecord(clientID: "acme", recordID: "r1", identifiers: [Identifier(.email, id("e1")), Identifier(.phone, id("p1"))]),
                CRMRecord(clientID: "acme", recordID: "r2", identifiers: [Identifier(.email, id("e2"))]),
                CRMRecord(clientID: "acme", recordID: "r3", identifiers: [Identifier(.email, id("e3"))], active: false),
                CRMRecord(clientID: "acme", recordID: "r4", identifiers: [Identifier(.phone, id("p4"))]),
            ])
            let seen = Fixtures.now
            try await store.upsertGraphEdges([
                GraphEdge(node: .daID("d1"), identifier: Identifier(.email, id("e1")), lastSeen: seen),
                GraphEdge(node: .daID("d2"), identifier: Identifier(.phone, id("p1")), lastSeen: seen),
                GraphEdge(node: .daID("d3"), identifier: Identifier(.email, id("e3")), lastSeen: seen),
                GraphEdge(node: .daID("d4"), identifier: Identifier(.email, id("e2")), lastSeen: seen),
                // A device node is not a browser: it never reaches a DMP cookie by itself.
                GraphEdge(node: .device(.aaid, "0d8f4b8e-35a5-4f5b-9a47-6f1d2a3b4c5d"), identifier: Identifier(.phone, id("p4")), lastSeen: seen),
            ])
            try await store.recordSyncHits([
                SyncHit(partner: "acme-dmp", cookieID: "c1", daID: "d1", site: nil, at: seen),
                SyncHit(partner: "acme-dmp", cookieID: "c2", daID: "d2", site: nil, at: seen),
                SyncHit(partner: "acme-dmp", cookieID: "c3", daID: "d3", site: nil, at: seen),
                SyncHit(partner: "acme-dmp", cookieID: "c9", daID: "d9", site: nil, at: seen),
                SyncHit(partner: "beta-dmp", cookieID: "cb", daID: "d4", site: nil, at: seen),
            ])
            let acme = try await store.matchFigures(clientID: "acme")
            try check(acme == MatchFigures(matchedRecords: 1, matchedByKind: [.email: 1, .phone: 1], matchedCookies: 2), "\(acme)")
            let beta = try await store.matchFigures(clientID: "beta")
            try check(beta == MatchFigures(), "another client's records never match: \(beta)")
            try await checkThrows(.unknownClient("ghost")) { try await store.matchFigures(clientID: "ghost") }
        },
        .init("export pairs are the day's seen cookies with each matched active record, distinct and sorted") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme", partners: ["acme-dmp"]))
            let day = Day(Fixtures.now)
            // Ids as given whatever their form: the client's own, a hash-derived one (lower-case hex) that sorts
            // before them as a string, and the client's own in upper-case hex.
            let digitFirst = (0...).lazy.map { Fixtures.hash("c\($0)") }.first { $0.hex.first!.isNumber }!
            let upper = Fixtures.hash("d")
            try await store.insertRecords([
                CRMRecord(clientID: "acme", recordID: "R-2", identifiers: [Identifier(.email, Fixtures.hash("a"))]),
                CRMRecord(clientID: "acme", recordID: "R-1", identifiers: [Identifier(.phone, Fixtures.hash("b"))]),
                CRMRecord(clientID: "acme", recordID: digitFirst.hex, identifiers: [Identifier(.email, digitFirst)]),
                CRMRecord(clientID: "acme", recordID: upper.hex.uppercased(), identifiers: [Identifier(.email, upper)]),
            ])
            let phone = Identifier(.phone, Fixtures.hash("b"))
            try await store.upsertGraphEdges(
                [Fixtures.hash("a"), digitFirst, upper].map {
                    GraphEdge(node: .daID("d1"), identifier: Identifier(.email, $0), lastSeen: Fixtures.now)
                } + [GraphEdge(node: .daID("d1"), identifier: phone, lastSeen: Fixtures.now)])
            try await store.recordSyncHits([
                SyncHit(partner: "acme-dmp", cookieID: "z", daID: "d1", site: nil, at: Fixtures.now, hits: 2),
                SyncHit(partner: "acme-dmp", cookieID: "y", daID: "d1", site: nil, at: Fixtures.now.addingTimeInterval(-86_400)),
            ])
            let collected = Collected()
            try await store.exportPairs(clientID: "acme", day: day) { collected.append($0) }
            let ids = ["R-1", "R-2", digitFirst.hex, upper.hex.uppercased()].sorted()
            try check(ids.first == digitFirst.hex, "the hash-derived id sorts first as a string")
            try check(collected.pairs == ids.map { ExportPair(cookieID: "z", recordID: $0) }, "\(collected.pairs)")
            let none = Collected()
            try await store.exportPairs(clientID: "acme", day: day.adding(days: 5)) { none.append($0) }
            try check(none.pairs.isEmpty, "a day without syncs has no pairs")
            try await checkThrows(.unknownClient("ghost")) { try await store.exportPairs(clientID: "ghost", day: day) { _ in } }
        },
        .init("one pass hands several clients' export pairs over by client, each client's as its own export gives them") { backend in
            let store = try await backend.makeStore()
            // Asked for out of order and twice; one client without pairs, and one the pass is not asked for, whose
            // pairs must not appear.
            let clients = ["zulu", "a-client", "empty", "other"]
            for (n, client) in clients.enumerated() {
                try await store.addClient(Fixtures.client(client, partners: ["dmp-\(n)"]))
            }
            let day = Day(Fixtures.now)
            var records: [CRMRecord] = []
            var edges: [GraphEdge] = []
            var hits: [SyncHit] = []
            for (n, client) in clients.enumerated() where client != "empty" {
                for k in 0..<30 {
                    let email = Identifier(.email, Fixtures.hash("\(client)/\(k)"))
                    records.append(CRMRecord(clientID: client, recordID: "\(client)-r\((k * 7) % 30)", identifiers: [email]))
                            edges.append(GraphEdge(node: .daID("d\(n)-\(k)"), identifier: email, lastSeen: Fixtures.now))
                    hits.append(SyncHit(partner: "dmp-\(n)", cookieID: "c\(k % 25)-\(k)", daID: "d\(n)-\(k)", site: nil, at: Fixtures.now))
                }
            }
            try await store.insertRecords(records)
            try await store.upsertGraphEdges(edges)
            try await store.recordSyncHits(hits)
            let wanted = ["empty", "zulu", "a-client", "zulu"]
            let together = ClientPairs()
            try await store.exportPairs(clientIDs: wanted, day: day) { together.append($0, $1) }
            try check(together.order == ["a-client", "zulu"], "clients by their ids' bytes, each once, none without pairs: \(together.order)")
            for client in ["zulu", "a-client"] {
                let alone = Collected()
                try await store.exportPairs(clientID: client, day: day) { alone.append($0) }
                try check(alone.pairs.count == 30, "\(client): \(alone.pairs.count)")
                try check(together.pairs[client] == alone.pairs, "\(client) in the pass is its own export")
            }
            try check(together.chunksMixClients == false, "a chunk holds one client's pairs")
            try await checkThrows(.unknownClient("ghost")) {
                try await store.exportPairs(clientIDs: ["zulu", "ghost"], day: day) { _, _ in }
            }
        },
    ]
}

/// Pairs by client from ``Store/exportPairs(clientIDs:day:body:)``, in the order the clients came.
final class ClientPairs: @unchecked Sendable {
    private(set) var order: [String] = []
    private(set) var pairs: [String: [ExportPair]] = [:]
    private(set) var chunksMixClients = false
    func append(_ client: String, _ more: [ExportPair]) {
        if order.last != client {
            if order.contains(client) { chunksMixClients = true }
            order.append(client)
        }
        pairs[client, default: []] += more
    }
}

/// Pairs handed over by ``Store/exportPairs(clientID:day:body:)``, which calls its body from one thread at a time.
final class Collected: @unchecked Sendable {
    private(set) var pairs: [ExportPair] = []
    func append(_ more: [ExportPair]) { pairs += more }
}
