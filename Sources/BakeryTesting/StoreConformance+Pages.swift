import BakeryCore
import Foundation

/// Reads every page of a keyset-paged list from `start` on, following the cursors; returns the items in list order.
func walk<Item>(
    pageSize: Int, backward: Bool = false, _ read: (PageRequest) async throws -> Page<Item>
) async throws -> [Item] {
    var items: [Item] = []
    var page = try await read(PageRequest(backward ? .last : .first, limit: pageSize))
    while true {
        try check(page.items.count <= pageSize, "a page holds at most its limit")
        items = backward ? page.items + items : items + page.items
        guard page.hasMore else { break }
        guard let cursor = backward ? page.cursors.first : page.cursors.last else {
            throw ConformanceFailure(description: "a page with more rows has no cursor")
        }
        page = try await read(PageRequest(backward ? .before(cursor) : .after(cursor), limit: pageSize))
    }
    return items
}

extension StoreConformance {
    /// 23 pairs of `acme` (and two of another client): cookie ids `c00`…`c22` seen at spread-out times, some sharing
    /// a last-seen second; DA ids `dXX` in reverse order; `beta` owns `b1`, `b2`.
    static func pairedStore(_ backend: any StoreBackend) async throws -> any Store {
        let store = try await backend.makeStore()
        try await store.addClient(Fixtures.client("acme", partners: ["acme-dmp", "acme-2"]))
        try await store.addClient(Fixtures.client("beta", partners: ["beta-dmp"]))
        var hits: [SyncHit] = []
        for index in 0..<23 {
            // Three pairs per second-of-time group: ties on last_seen must still page exactly.
            let at = Fixtures.now.addingTimeInterval(-Double((index / 3) * 3_600))
            hits.append(
                SyncHit(
                    partner: index % 4 == 0 ? "acme-2" : "acme-dmp", cookieID: String(format: "c%02d", index),
                    daID: String(format: "d%02d", 40 - index), site: "site\(index % 3)", at: at, hits: index + 1))
        }
        hits.append(SyncHit(partner: "beta-dmp", cookieID: "c05", daID: "b1", site: nil, at: Fixtures.now))
        hits.append(SyncHit(partner: "beta-dmp", cookieID: "b2", daID: "d30", site: nil, at: Fixtures.now))
        try await store.recordSyncHits(hits)
        return store
    }

    static let pageCases: [StoreConformanceCase] = [
        .init("sync pairs page by last seen, cookie id and DA id, forwards and backwards, ties included") { backend in
            let store = try await pairedStore(backend)
            for order in SyncPairQuery.Order.allCases {
                let query = SyncPairQuery(clientID: "acme", order: order)
                let all = try await store.syncPairs(query, page: PageRequest(limit: 100))
                try check(all.items.count == 23 && !all.hasMore, "\(order): one page holds all 23: \(all.items.count)")
                try check(all.items.allSatisfy { $0.clientID == "acme" }, "\(order): only this client's pairs")
                let expected: [SyncPair] =
                    switch order {
                    case .lastSeen: all.items.sorted { $0.lastSeen > $1.lastSeen }
                    case .cookieID: all.items.sorted { $0.cookieID < $1.cookieID }
                    case .daID: all.items.sorted { $0.daID < $1.daID }
                    }
                try check(
                    all.items.map(\.lastSeen) == expected.map(\.lastSeen)
                        && (order == .lastSeen || all.items == expected), "\(order): the order")
                for size in [1, 4, 7] {
                    let forwards = try await walk(pageSize: size) { try await store.syncPairs(query, page: $0) }
                    try check(forwards == all.items, "\(order), pages of \(size) forwards: \(forwards.map(\.cookieID))")
                    let backwards = try await walk(pageSize: size, backward: true) {
                        try await store.syncPairs(query, page: $0)
                    }
                    try check(backwards == all.items, "\(order), pages of \(size) backwards")
                }
                try check(try await store.countSyncPairs(query) == 23, "\(order): count")
            }
            let last = try await store.syncPairs(SyncPairQuery(clientID: "acme", order: .cookieID), page: PageRequest(.last, limit: 2))
            try check(last.items.map(\.cookieID) == ["c21", "c22"] && last.hasMore, "the last page: \(last.items)")
            try await checkThrows(.unknownClient("ghost")) {
                try await store.syncPairs(SyncPairQuery(clientID: "ghost"), page: PageRequest(limit: 5))
            }
        },
        .init("a prefix search pages through the matching cookie ids or DA ids only") { backend in
            let store = try await pairedStore(backend)
            let cookies = SyncPairQuery(clientID: "acme", order: .cookieID, prefix: "c1")
            let found = try await walk(pageSize: 3) { try await store.syncPairs(cookies, page: $0) }
            try check(found.map(\.cookieID) == (10...19).map { "c\($0)" }, "cookie prefix: \(found.map(\.cookieID))")
            try check(try await store.countSyncPairs(cookies) == 10, "count of a prefix")
            let das = SyncPairQuery(clientID: "acme", order: .daID, prefix: "d3")
            let byDA = try await walk(pageSize: 4) { try await store.syncPairs(das, page: $0) }
            // d30 belongs to beta as well: only acme's pair is listed.
            try check(byDA.map(\.daID) == (30...39).map { "d\($0)" }, "DA prefix: \(byDA.map(\.daID))")
            try check(byDA.allSatisfy { $0.clientID == "acme" }, "DA prefix stays within the client")
            try check(try await store.countSyncPairs(das) == 10, "count of a DA prefix")
            let exact = try await store.syncPairs(
                SyncPairQuery(clientID: "acme", order: .cookieID, prefix: "c05"), page: PageRequest(limit: 5))
            try check(exact.items.map(\.partner) == ["acme-dmp"], "beta's c05 is not acme's: \(exact.items)")
            let none = SyncPairQuery(clientID: "acme", order: .cookieID, prefix: "zz")
            try check(try await store.syncPairs(none, page: PageRequest(limit: 5)).items.isEmpty, "no match")
            let ignored = SyncPairQuery(clientID: "acme", order: .lastSeen, prefix: "c1")
            try check(try await store.countSyncPairs(ignored) == 23, "a prefix does not apply to last seen")
        },
        .init("a pair's daily activity, and the records holding a set of hashes with their upload") { backend in
            let store = try await pairedStore(backend)
            let day = Day(Fixtures.now)
            try await store.recordSyncHits([
                SyncHit(partner: "acme-dmp", cookieID: "c01", daID: "d39", site: nil, at: day.adding(days: -2).start, hits: 4)
            ])
            let activity = try await store.syncActivity(
                partner: "acme-dmp", cookieID: "c01", daID: "d39", since: day.adding(days: -7))
            try check(activity == [day: 2, day.adding(days: -2): 4], "activity by day: \(activity)")
            try check(
                try await store.syncActivity(partner: "acme-dmp", cookieID: "c01", daID: "d39", since: day).count == 1,
                "from `since` on")
            let email = Identifier(.email, Fixtures.hash("person"))
            let applied = try await apply(
                store, "acme", .add,
                [CRMRecord(clientID: "acme", recordID: "R-1", identifiers: [email, Identifier(.phone, Fixtures.hash("p"))])],
                file: "crm.csv")
            try await store.insertRecords([
                CRMRecord(clientID: "acme", recordID: "R-0", identifiers: [email], active: false),
                CRMRecord(clientID: "beta", recordID: "B-1", identifiers: [email]),
            ])
            let matches = try await store.records(clientID: "acme", matching: [email.hash, Fixtures.hash("nobody")])
            try check(matches.map(\.recordID) == ["R-0", "R-1"], "removed and active, this client only: \(matches)")
            try check(matches.allSatisfy { $0.identifier == email }, "the matching identifier")
            try check(!matches[0].active && matches[0].upload == nil, "removed, not from an upload: \(matches[0])")
            try check(
                matches[1].active && matches[1].upload?.id == applied.upload.id && matches[1].upload?.fileName == "crm.csv",
                "the upload it came from: \(matches[1])")
            try check(try await store.records(clientID: "acme", matching: []).isEmpty, "no hashes, no records")
            try await checkThrows(.unknownClient("ghost")) {
                try await store.records(clientID: "ghost", matching: [email.hash])
            }
        },
        .init("uploads, export runs and audit entries page newest first with their filters") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            let day = Day(Fixtures.now)
            for index in 0..<7 {
                let client = index % 2 == 0 ? "acme" : "beta"
                _ = try await store.addExportRun(
                    ExportRun(
                        clientID: client, day: day.adding(days: -index), startedBy: "scheduler",
                        startedAt: Fixtures.now.addingTimeInterval(Double(index / 2 * 60)),
                        finishedAt: Fixtures.now.addingTimeInterval(Double(index / 2 * 60 + 5)), rows: index,
                        file: nil, sha256: nil, bytes: 0, outcome: index == 3 ? .failed : .succeeded))
                _ = try await apply(store, client, .add, [Fixtures.record(client, "r\(index)")], file: "f\(index).csv")
            }
            let runs = try await walk(pageSize: 2) { try await store.exportRuns(ExportRunQuery(), page: $0) }
            try check(runs.count == 7, "every run: \(runs.count)")
            try check(
                zip(runs, runs.dropFirst()).allSatisfy { ($0.startedAt, $0.id!) > ($1.startedAt, $1.id!) },
                "newest first, ties by id: \(runs.map(\.rows))")
            let acme = try await walk(pageSize: 3) { try await store.exportRuns(ExportRunQuery(clientID: "acme"), page: $0) }
            try check(acme.map(\.rows) == [6, 4, 2, 0], "one client's: \(acme.map(\.rows))")
            let failed = try await store.exportRuns(ExportRunQuery(outcome: .failed), page: PageRequest(limit: 5))
            try check(failed.items.map(\.rows) == [3], "by outcome")
            let ofDay = try await store.exportRuns(ExportRunQuery(clientID: "beta", day: day.adding(days: -5)), page: PageRequest(limit: 5))
            try check(ofDay.items.map(\.rows) == [5], "by day")
            let uploads = try await walk(pageSize: 2) { try await store.uploads(UploadQuery(clientID: "beta"), page: $0) }
            try check(uploads.map(\.fileName) == ["f5.csv", "f3.csv", "f1.csv"], "uploads: \(uploads.map(\.fileName))")
            let everything = try await walk(pageSize: 4) { try await store.auditEntries(AuditQuery(), page: $0) }
            try check(everything.count == 2 + 7 + 7, "client adds, runs and uploads: \(everything.count)")
            try check(zip(everything, everything.dropFirst()).allSatisfy { $0.id! > $1.id! }, "newest first")
            let backwards = try await walk(pageSize: 3, backward: true) { try await store.auditEntries(AuditQuery(), page: $0) }
            try check(backwards == everything, "the same entries read from the end")
            let exports = try await walk(pageSize: 2) {
                try await store.auditEntries(AuditQuery(clientID: "beta", action: "export"), page: $0)
            }
            try check(exports.map(\.action) == ["export.run", "export.run", "export.run"], "an action family")
            try check(exports.map(\.outcome) == [.succeeded, .failed, .succeeded], "outcomes kept: \(exports)")
            let applies = try await store.auditEntries(AuditQuery(action: "upload.apply", actor: "ops"), page: PageRequest(limit: 50))
            try check(applies.items.count == 7, "an action and an actor")
            let nobody = try await store.auditEntries(AuditQuery(actor: "nobody"), page: PageRequest(limit: 5))
            try check(nobody.items.isEmpty && !nobody.hasMore, "no entry of an unknown actor")
            let prefixOnly = try await store.auditEntries(AuditQuery(action: "uploa"), page: PageRequest(limit: 5))
            try check(prefixOnly.items.isEmpty, "a family is a whole word: \(prefixOnly.items)")
            try await checkThrows(.unknownClient("ghost")) {
                try await store.exportRuns(ExportRunQuery(clientID: "ghost"), page: PageRequest(limit: 5))
            }
        },
        .init("a change and its audit entry commit together; a refused change writes neither") { backend in
            let store = try await backend.makeStore()
            let anna = Operator(name: "anna", role: .admin)
            let client = Fixtures.client("acme")
            try await store.addClient(client, audit: .clientAdded(client, by: anna))
            try await checkThrows(.duplicateClient("acme")) {
                try await store.addClient(client, audit: .clientAdded(client, by: anna))
            }
            let adds = try await store.auditEntries(AuditQuery(action: "client.add"), page: PageRequest(limit: 5)).items
            try check(adds.count == 1 && adds[0].actor == "anna" && adds[0].role == .admin, "one entry: \(adds)")
            let run = ExportRun(
                clientID: "acme", day: Day(Fixtures.now), startedBy: "anna", startedAt: Fixtures.now,
                finishedAt: Fixtures.now, rows: 3, file: "f", sha256: "ab", bytes: 9, outcome: .succeeded)
            _ = try await store.addExportRun(run, audit: .export(run, by: anna))
            try await checkThrows(.unknownClient("ghost")) {
                var ghost = run
                ghost.clientID = "ghost"
                return try await store.addExportRun(ghost, audit: .export(ghost, by: anna))
            }
            let exports = try await store.auditEntries(AuditQuery(action: "export"), page: PageRequest(limit: 5)).items
            try check(exports.count == 1 && exports[0].detail.contains("3 rows"), "\(exports)")
            try await store.removeClient(id: "acme", audit: .clientRemoved("acme", by: anna))
            try await checkThrows(.unknownClient("acme")) {
                try await store.removeClient(id: "acme", audit: .clientRemoved("acme", by: anna))
            }
            let removals = try await store.auditEntries(AuditQuery(action: "client.remove"), page: PageRequest(limit: 5))
            try check(removals.items.count == 1, "one removal entry")
        },
        .init("the matched-record count agrees with the match figures, and a dry run measures its impact") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme", partners: ["acme-dmp"]))
            let people = (0..<6).map { Fixtures.anonymousRecord("acme", "p\($0)") }
            try await store.upsertGraphEdges(
                people.prefix(4).enumerated().map { index, record in
                    GraphEdge(node: .daID("d\(index)"), identifier: record.identifiers[0], lastSeen: Fixtures.now)
                })
            try await store.recordSyncHits(
                (0..<4).map { SyncHit(partner: "acme-dmp", cookieID: "c\($0)", daID: "d\($0)", site: nil, at: Fixtures.now) })
            _ = try await apply(store, "acme", .add, [people[0], people[4]])
            try check(try await store.matchedRecordCount(clientID: "acme") == 1, "one matched")
            try check(
                try await store.matchFigures(clientID: "acme").matchedRecords == 1, "the same figure from matchFigures")
            let dry = try await apply(store, "acme", .replace, [people[1], people[2], people[5]], dryRun: true)
            try check(dry.matchedBefore == 1 && dry.matchedAfter == 2, "impact inside the transaction: \(dry)")
            try check(try await store.matchedRecordCount(clientID: "acme") == 1, "and rolled back")
            let applied = try await apply(store, "acme", .add, [people[3]])
            try check(applied.matchedBefore == nil, "an applied upload does not count inside its transaction")
            try await checkThrows(.unknownClient("ghost")) { try await store.matchedRecordCount(clientID: "ghost") }
        },
    ]
}
