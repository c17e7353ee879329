import BakeryCore
import Foundation

/// Applies `records` as one upload of `client`, the file having had `rows` rows of which `rejected` were refused.
func apply(
    _ store: any Store, _ client: String, _ mode: UpdateMode, _ records: [CRMRecord], rejected: Int = 0,
    dryRun: Bool = false, file: String = "f.csv"
) async throws -> AppliedUpload {
    let request = UploadRequest(
        clientID: client, mode: mode, source: .cli, fileName: file, actor: Fixtures.actor, startedAt: Fixtures.now,
        dryRun: dryRun)
    return try await store.applyUpload(request) { emit in
        for record in records { try emit(record) }
        return UploadFeedTotals(rows: records.count + rejected, rejected: rejected)
    }
}

/// Active record count of a client.
func active(_ store: any Store, _ client: String) async throws -> Int {
    try await store.counts(clientID: client, now: Fixtures.now).activeRecords
}

struct FeedFailure: Error {}

extension StoreConformance {
    static let uploadCases: [StoreConformanceCase] = [
        .init("an add upload stores its records, its ledger row and an audit entry together") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let applied = try await apply(
                store, "acme", .add,
                [Fixtures.record("acme", "r1", kinds: [.email, .phone]), Fixtures.anonymousRecord("acme", "p2")],
                rejected: 3)
            let upload = applied.upload
            try check(upload.id != nil && upload.status == .applied, "stored: \(upload)")
            try check(upload.rows == 5 && upload.accepted == 2 && upload.rejected == 3, "figures: \(upload)")
            try check(upload.recordsBefore == 0 && upload.recordsAfter == 2 && applied.added == 2, "\(applied)")
            try check(try await store.uploads(clientID: "acme", limit: 5) == [upload], "ledger row as returned")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 2 && counts.recordsByKind == [.email: 2, .phone: 1], "\(counts)")
            let audit = try await uploadEntries(store, "acme")
            try check(
                audit.count == 1 && audit[0].action == "upload.apply" && audit[0].actor == "ops"
                    && audit[0].role == .admin && audit[0].outcome == .succeeded
                    && audit[0].detail.contains("records 0 -> 2"), "\(audit)")
        },
        .init("adding the same file twice keeps one record each and merges new identifiers") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let file = (1...4).map { Fixtures.anonymousRecord("acme", "p\($0)") }
            _ = try await apply(store, "acme", .add, file)
            let again = try await apply(store, "acme", .add, file)
            try check(again.added == 0 && again.alreadyPresent == 4 && again.upload.duplicates == 0, "\(again)")
            try check(again.upload.recordsBefore == 4 && again.upload.recordsAfter == 4, "\(again.upload)")
            _ = try await apply(store, "acme", .add, [Fixtures.record("acme", "r1")])
            let merged = try await apply(store, "acme", .add, [Fixtures.record("acme", "r1", kinds: [.phone])])
            try check(merged.alreadyPresent == 1, "\(merged)")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 5 && counts.recordsByKind == [.email: 5, .phone: 1], "\(counts)")
        },
        .init("a large upload counts new, present, reactivated and duplicate records exactly") { backend in
            // Thousands of records, so a store that writes many records per statement crosses its batch edges,
            // with duplicates (carrying another identifier) spread over them.
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            func id(_ n: Int) -> String { "r" + String(repeating: "0", count: 4 - String(n).count) + String(n) }
            _ = try await apply(store, "acme", .add, (0..<1000).map { Fixtures.record("acme", id($0)) })
            _ = try await apply(store, "acme", .remove, (0..<100).map { Fixtures.record("acme", id($0)) })
            // r0050…r2049, file order shuffled by a fixed stride; every fifth record again with a phone.
            let numbers = (0..<2000).map { 50 + ($0 * 7_919) % 2000 }
            let file =
                numbers.map { Fixtures.record("acme", id($0)) }
                + numbers.filter { $0 % 5 == 0 }.map { Fixtures.record("acme", id($0), kinds: [.phone]) }
            let added = try await apply(store, "acme", .add, file)
            try check(
                added.added == 50 + 1050 && added.alreadyPresent == 900 && added.upload.duplicates == 400
                    && added.upload.recordsBefore == 900 && added.upload.recordsAfter == 2000, "\(added)")
            var counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 2000 && counts.recordsByKind == [.email: 2000, .phone: 400], "\(counts)")
            let replaced = try await apply(
                store, "acme", .replace,
                (1000..<2000).map { Fixtures.record("acme", id($0), kinds: [.phone]) }
                    + (1000..<1010).map { Fixtures.record("acme", id($0), kinds: [.phone]) })
            try check(
                replaced.added == 0 && replaced.alreadyPresent == 1000 && replaced.removed == 1000
                    && replaced.upload.duplicates == 10 && replaced.upload.recordsAfter == 1000, "\(replaced)")
            counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 1000 && counts.recordsByKind == [.phone: 1000], "\(counts)")
        },
        .init("record ids are compared as their bytes: ids that differ only in Unicode normalisation are two records")
        { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            // "José" precomposed and decomposed: equal as Swift strings, different ids to the client's systems.
            let ids = ["Jos\u{E9}", "Jose\u{301}"]
            let first = try await apply(store, "acme", .add, ids.map { Fixtures.record("acme", $0) })
            try check(first.added == 2 && first.upload.duplicates == 0, "\(first)")
            let again = try await apply(store, "acme", .add, ids.map { Fixtures.record("acme", $0) })
            try check(again.alreadyPresent == 2 && again.added == 0 && again.upload.duplicates == 0, "\(again)")
            let replaced = try await apply(store, "acme", .replace, [Fixtures.record("acme", ids[1])])
            try check(replaced.alreadyPresent == 1 && replaced.removed == 1, "\(replaced)")
        },
        .init("a record id repeated within a file is one record, counted as a duplicate") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            let applied = try await apply(
                store, "acme", .add,
                [
                    Fixtures.record("acme", "r1"), Fixtures.anonymousRecord("acme", "p1"),
                    Fixtures.record("acme", "r1", kinds: [.phone]), Fixtures.anonymousRecord("acme", "p1"),
                ])
            try check(
                applied.upload.duplicates == 2 && applied.added == 2 && applied.upload.accepted == 4, "\(applied)")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 2 && counts.recordsByKind == [.email: 2, .phone: 1], "\(counts)")
        },
        .init("a large remove counts removed, duplicate and not-found rows exactly, by id and by any hash, mixed")
        { backend in
            // Enough rows that a store looking records up many to a statement crosses its edges, with rows by id
            // and by hash interleaved, an e-mail two records share, and records an earlier upload removed.
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            func id(_ n: Int) -> String { "r" + String(repeating: "0", count: 4 - String(n).count) + String(n) }
            func shared(_ id: String) -> CRMRecord {
                CRMRecord(clientID: "acme", recordID: id, identifiers: [Identifier(.email, Fixtures.hash("shared/email"))])
            }
            func byPhone(_ person: String) -> CRMRecord {
                let hash = Fixtures.hash("\(person)/phone")
                return CRMRecord(clientID: "acme", recordID: hash.hex, identifiers: [Identifier(.phone, hash)])
            }
            _ = try await apply(
                store, "acme", .add,
                (Array(0..<600) + Array(700..<800)).map { Fixtures.record("acme", id($0)) } + [shared("s1"), shared("s2")]
                    + (0..<450).map { Fixtures.anonymousRecord("acme", "p\($0)", kinds: [.email, .phone]) })
            _ = try await apply(store, "acme", .remove, (0..<50).map { Fixtures.record("acme", id($0)) })
            // By id: r0000–r0049 removed before, r0050–r0599 here (every third twice), r0600–r0699 never stored;
            // by phone p0–p399, then p0–p99 again by e-mail; the shared e-mail once.
            let byID = (0..<700).map { Fixtures.record("acme", id($0)) }
                + (50..<600).filter { $0 % 3 == 0 }.map { Fixtures.record("acme", id($0)) }
            let byHash = (0..<400).map { byPhone("p\($0)") }
                + (0..<100).map { Fixtures.anonymousRecord("acme", "p\($0)") }
            let rows = byID + byHash + [Fixtures.anonymousRecord("acme", "shared")]
            let file = (0..<rows.count).map { rows[($0 * 7_919) % rows.count] }
            try check(Set((0..<rows.count).map { ($0 * 7_919) % rows.count }).count == rows.count, "a permutation")
            let removed = try await apply(store, "acme", .remove, file)
            let again = (50..<600).filter { $0 % 3 == 0 }.count + 100
            try check(
                removed.removed == 550 + 400 + 2 && removed.notFound == 50 + 100 && removed.upload.duplicates == again
                    && removed.upload.accepted == rows.count, "\(removed)")
            try check(
                removed.upload.recordsBefore == 1102 && removed.upload.recordsAfter == 1102 - 952, "\(removed.upload)")
            // What stays: r0700–r0799 and p400–p449.
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(
                counts.activeRecords == 150 && counts.recordsByKind == [.email: 150, .phone: 50], "\(counts)")
        },
        .init("remove deactivates exactly the matching records, by record id or by any identifier hash") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await store.addClient(Fixtures.client("beta"))
            let people = (1...5).map { Fixtures.anonymousRecord("acme", "p\($0)", kinds: [.email, .phone]) }
            _ = try await apply(store, "acme", .add, people + [Fixtures.record("acme", "r1")])
            _ = try await apply(store, "beta", .add, [Fixtures.anonymousRecord("beta", "p1")])
            // p1 by its phone alone, p2 twice (a duplicate), r1 by id, and one person nobody has.
            let byPhone = CRMRecord(
                clientID: "acme", recordID: Fixtures.hash("p1/phone").hex,
                identifiers: [Identifier(.phone, Fixtures.hash("p1/phone"))])
            let removed = try await apply(
                store, "acme", .remove,
                [
                    byPhone, Fixtures.anonymousRecord("acme", "p2"), Fixtures.anonymousRecord("acme", "p2"),
                    Fixtures.record("acme", "r1"), Fixtures.anonymousRecord("acme", "nobody"),
                ])
            try check(removed.removed == 3 && removed.notFound == 1 && removed.upload.duplicates == 1, "\(removed)")
            try check(removed.upload.recordsBefore == 6 && removed.upload.recordsAfter == 3, "\(removed.upload)")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 3 && counts.removedRecords == 3, "\(counts)")
            try check(try await active(store, "beta") == 1, "another client's record with the same hash stays")
            // Adding a removed record again makes it active again.
            let back = try await apply(store, "acme", .add, [Fixtures.anonymousRecord("acme", "p2")])
            try check(back.added == 1 && back.upload.recordsAfter == 4, "\(back)")
        },
        .init("replace leaves exactly the file's records, with exactly the file's identifiers") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            _ = try await apply(
                store, "acme", .add,
                [
                    Fixtures.record("acme", "r1", kinds: [.email, .phone]), Fixtures.record("acme", "r2"),
                    Fixtures.record("acme", "r3"),
                ])
            let replaced = try await apply(
                store, "acme", .replace,
                [
                    Fixtures.record("acme", "r1", kinds: [.address]), Fixtures.record("acme", "r4"),
                    Fixtures.record("acme", "r4"),
                ])
            try check(replaced.added == 1 && replaced.alreadyPresent == 1 && replaced.removed == 2, "\(replaced)")
            try check(replaced.upload.duplicates == 1 && replaced.upload.recordsAfter == 2, "\(replaced.upload)")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 2 && counts.removedRecords == 2, "\(counts)")
            try check(
                counts.recordsByKind == [.address: 1, .email: 1], "identifiers replaced: \(counts.recordsByKind)")
        },
        .init("a replace with no accepted row is refused and stores nothing") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            _ = try await apply(store, "acme", .add, [Fixtures.record("acme", "r1")])
            try await checkInvalid { try await apply(store, "acme", .replace, [], rejected: 4) }
            try check(try await active(store, "acme") == 1, "records kept")
            try check(try await store.uploads(clientID: "acme", limit: 5).count == 1, "no ledger row")
            try check(try await uploadEntries(store, "acme").count == 1, "no audit entry")
        },
        .init("an add or remove with no accepted row writes only its ledger row") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            _ = try await apply(store, "acme", .add, [Fixtures.record("acme", "r1")])
            let empty = try await apply(store, "acme", .add, [], rejected: 2)
            try check(
                empty.upload.accepted == 0 && empty.upload.rows == 2 && empty.upload.recordsAfter == 1, "\(empty)")
            let none = try await apply(store, "acme", .remove, [])
            try check(none.upload.recordsAfter == 1 && none.removed == 0, "\(none)")
            try check(try await store.uploads(clientID: "acme", limit: 5).count == 3, "three ledger rows")
        },
        .init("a feed that fails halfway rolls the whole upload back") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            _ = try await apply(store, "acme", .add, [Fixtures.record("acme", "r1")])
            // Two records, and (add, replace) more than a store writes at once: failing after some were written.
            let failures = UpdateMode.allCases.flatMap { mode in (mode == .remove ? [2] : [2, 150_000]).map { (mode, $0) } }
            for (mode, emitted) in failures {
                let request = UploadRequest(
                    clientID: "acme", mode: mode, source: .cli, fileName: "bad.csv", actor: Fixtures.actor)
                do {
                    _ = try await store.applyUpload(request) { emit in
                        try emit(Fixtures.record("acme", "r1"))
                        for index in 2...emitted { try emit(Fixtures.record("acme", "r\(index)")) }
                        throw FeedFailure()
                    }
                    try check(false, "\(mode): the feed's error must come through")
                } catch is FeedFailure {}
                let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
                try check(
                    counts.activeRecords == 1 && counts.removedRecords == 0 && counts.uploads == 1, "\(mode): \(counts)"
                )
            }
            try check(try await uploadEntries(store, "acme").count == 1, "no audit entry")
        },
        .init("an upload for an unknown client, or with a foreign or empty record, is refused whole") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            try await checkThrows(.unknownClient("ghost")) {
                try await apply(store, "ghost", .add, [Fixtures.record("ghost", "r1")])
            }
            try await checkInvalid {
                try await apply(store, "acme", .add, [Fixtures.record("acme", "r1"), Fixtures.record("beta", "r2")])
            }
            try await checkInvalid {
                try await apply(
                    store, "acme", .add, [Fixtures.record("acme", "r1"), Fixtures.record("acme", "r2", kinds: [])])
            }
            try await checkInvalid { try await apply(store, "acme", .add, [Fixtures.record("acme", "")]) }
            try check(try await store.counts(clientID: "acme", now: Fixtures.now) == ClientCounts(), "nothing written")
            try check(try await uploadEntries(store, nil).isEmpty, "no audit entry")
        },
        .init("a dry run reports exact figures and stores nothing") { backend in
            let store = try await backend.makeStore()
            try await store.addClient(Fixtures.client("acme"))
            _ = try await apply(store, "acme", .add, [Fixtures.record("acme", "r1"), Fixtures.record("acme", "r2")])
            let dry = try await apply(
                store, "acme", .replace, [Fixtures.record("acme", "r2"), Fixtures.record("acme", "r3")], dryRun: true)
            try check(dry.upload.id == nil && dry.upload.status == .dryRun, "\(dry.upload)")
            try check(dry.added == 1 && dry.removed == 1 && dry.upload.recordsAfter == 2, "\(dry)")
            let counts = try await store.counts(clientID: "acme", now: Fixtures.now)
            try check(counts.activeRecords == 2 && counts.removedRecords == 0 && counts.uploads == 1, "\(counts)")
            let audit = try await uploadEntries(store, "acme")
            try check(
                audit.map(\.action) == ["upload.dry_run", "upload.apply"] && audit[0].detail.contains("records 2 -> 2"),
                "the dry run's own entry, and nothing else: \(audit)")
        },
    ]

    static let audienceCases: [StoreConformanceCase] = [
        .init("a client is found by its drop-zone audience id, which is unique and kept on reopen") { backend in
            let store = try await backend.makeStore()
            var acme = Fixtures.client("acme")
            acme.audience = "AUD_123"
            try await store.addClient(acme)
            try await store.addClient(Fixtures.client("plain"))
            try check(try await store.client(audience: "AUD_123") == acme, "by audience")
            try check(try await store.client(audience: "aud_123") == nil, "audience ids are exact")
            try check(try await store.client(id: "plain")?.audience == nil, "no audience")
            var beta = Fixtures.client("beta")
            beta.audience = "AUD_123"
            try await checkInvalid { try await store.addClient(beta) }
            beta.audience = "has/slash"
            try await checkInvalid { try await store.addClient(beta) }
            try check(try await store.client(id: "beta") == nil, "refused client not stored")
            let reopened = try await backend.reopen(store)
            try check(try await reopened.client(audience: "AUD_123")?.id == "acme", "kept on reopen")
        }
    ]
}

/// The upload entries (`upload.*`) of a client's audit log, newest first.
func uploadEntries(_ store: any Store, _ clientID: String?) async throws -> [AuditEntry] {
    try await store.auditEntries(AuditQuery(clientID: clientID, action: "upload"), page: PageRequest(limit: 50)).items
}
