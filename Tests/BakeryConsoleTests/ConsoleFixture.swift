import BakeryConsole
import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation

/// A real SQLite store with a fixed dataset for the operator views, built the same way every time:
///
/// - `acme` (NL, Tealium, partner `acme-tealium`): 40 CRM records `R-0001`…`R-0040` (e-mail hashes of
///   `person1@example.nl`…; `R-0001`…`R-0010` also a phone), from upload #1 `crm-2026-11-01.csv`; `R-0031`…`R-0040`
///   removed by upload #2 `optout-2026-11-20.csv`.
/// - The graph: `da-0001`…`da-0050` each seen with `personN`'s e-mail hash (persons 41–50 are no record of acme);
///   `da-0051`… have no hashed identifier.
/// - 1,500 sync pairs of acme, cookie `ck-00001`…`ck-01500`: pair k has DA id `da-000k` for k ≤ 60, else `dz-0k`;
///   every pair with k not a multiple of 3 was seen on 2026-11-28 (yesterday), the others on 2026-11-25; every fourth
///   also on 2026-11-27.
/// - The exports of 2026-11-27 and 2026-11-28, written to real files under `exports`.
/// - `beta` (SE, Piano, two partners): five pairs, no records.
/// - An uploads folder with `crm-new.csv` (six rows, two bad) for the Onboarding view, and the same file waiting in
///   the drop zone's inbox for acme's audience `4711` as an opt-in.
///
/// "Now" is 2026-11-29 12:00 UTC, as in ``FakeStore``.
struct ConsoleFixture {
    let folder: URL
    let store: SQLiteStore
    var exports: URL { folder.appendingPathComponent("exports") }
    var uploads: URL { folder.appendingPathComponent("uploads") }
    var dropZone: URL { folder.appendingPathComponent("dropzone") }

    static let now = FakeStore.now
    static let yesterday = Day(now).adding(days: -1)
    static let admin = Operator(name: "anna", role: .admin)

    static func email(_ person: Int) -> Identifier {
        Identifier(.email, IdentifierHash.sha256(of: "person\(person)@example.nl"))
    }

    static func cookie(_ k: Int) -> String { String(format: "ck-%05d", k) }
    static func daID(_ k: Int) -> String { k <= 60 ? String(format: "da-%04d", k) : String(format: "dz-%05d", k) }

    static func make() async throws -> ConsoleFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("bakery.sqlite").path, mode: .createIfMissing)
        let fixture = ConsoleFixture(folder: folder, store: store)
        try await fixture.fill()
        return fixture
    }

    private func fill() async throws {
        let day = Self.yesterday
        let acme = Client(
            id: "acme", name: "Acme Retail", country: "NL", dmp: .tealium, partners: [Partner(key: "acme-tealium")],
            createdAt: day.adding(days: -60).start, audience: "4711")
        let beta = Client(
            id: "beta", name: "Beta Bank", country: "SE", dmp: .piano,
            partners: [Partner(key: "PO_1a2b3c4d"), Partner(key: "PO_9f8e7d6c")], createdAt: day.adding(days: -60).start)
        for client in [acme, beta] {
            try await store.addClient(client, audit: .clientAdded(client, by: Self.admin, at: day.adding(days: -60).start))
        }
        let first = try await store.addUpload(
            Self.upload("crm-2026-11-01.csv", .add, at: Day(iso: "2026-11-01")!, rows: 40, after: 40))
        let optOut = try await store.addUpload(
            Self.upload("optout-2026-11-20.csv", .remove, at: Day(iso: "2026-11-20")!, rows: 10, after: 30, before: 40))
        try await store.insertRecords(
            (1...40).map { person in
                var identifiers = [Self.email(person)]
                if person <= 10 { identifiers.append(Identifier(.phone, IdentifierHash.sha256(of: "phone\(person)"))) }
                return CRMRecord(
                    clientID: "acme", recordID: String(format: "R-%04d", person), identifiers: identifiers,
                    active: person <= 30, uploadID: person <= 30 ? first.id : optOut.id)
            })
        try await store.upsertGraphEdges(
            (1...50).map { GraphEdge(node: .daID(Self.daID($0)), identifier: Self.email($0), lastSeen: day.adding(days: -3).start) })
        var hits: [SyncHit] = []
        for k in 1...1500 {
            let seen = k % 3 == 0 ? day.adding(days: -3) : day
            hits.append(
                SyncHit(
                    partner: "acme-tealium", cookieID: Self.cookie(k), daID: Self.daID(k), site: "www.site\(k % 4).nl",
                    at: seen.start.addingTimeInterval(Double(k * 50)), hits: k % 7 + 1))
            if k % 4 == 0 {
                hits.append(
                    SyncHit(
                        partner: "acme-tealium", cookieID: Self.cookie(k), daID: Self.daID(k), site: nil,
                        at: day.adding(days: -1).start.addingTimeInterval(Double(k * 50)), hits: 1))
            }
        }
        for k in 1...5 {
            hits.append(
                SyncHit(
                    partner: k % 2 == 0 ? "PO_1a2b3c4d" : "PO_9f8e7d6c", cookieID: "bc-\(k)", daID: "db-\(k)",
                    site: nil, at: day.start.addingTimeInterval(Double(k * 600))))
        }
        try await store.recordSyncHits(hits)
        for exported in [day.adding(days: -1), day] {
            let export = DeltaExport(
                store: store, root: exports, now: { exported.adding(days: 1).start.addingTimeInterval(7_200) })
            try await export.run(client: acme, day: exported, by: Operator(name: "scheduler", role: .ops))
        }
        let denied = AuditEntry.denied(
            Operator(name: "vera", role: .viewer), permission: .export, action: "export 2026-11-28", clientID: "acme",
            at: day.start.addingTimeInterval(36_000))
        _ = try await store.appendAudit(denied)
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: uploads.appendingPathComponent("archive"), withIntermediateDirectories: true)
        try Self.newFile.write(to: uploads.appendingPathComponent("crm-new.csv"), atomically: true, encoding: .utf8)
        for name in ["crm-new.csv", "archive"] {
            try FileManager.default.setAttributes(
                [.modificationDate: Self.now.addingTimeInterval(-3_600)], ofItemAtPath: uploads.appendingPathComponent(name).path)
        }
        let inbox = dropZone.appendingPathComponent("onboard/audience=4711/opt-in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Self.newFile.write(to: inbox.appendingPathComponent("20261129_060000.csv"), atomically: true, encoding: .utf8)
    }

    /// Six rows: persons 41 and 42 (in the graph, so the match rate rises), a bad e-mail, a bad phone, a person
    /// known already (R-0002), and a new one without an id of its own.
    static let newFile = """
        Email,Phone,custom,Name\r
        Person41@Example.NL,,R-0041,Anna\r
         person42@example.nl ,0612345678,R-0042,Bram\r
        not-an-email,,R-0043,Cor\r
        person44@example.nl,12,R-0044,Dirk\r
        person2@example.nl,,R-0002,Eva\r
        person99@example.nl,,,Fien\r

        """

    static func upload(_ file: String, _ mode: UpdateMode, at day: Day, rows: Int, after: Int, before: Int = 0) -> Upload {
        let start = day.start.addingTimeInterval(36_000)
        return Upload(
            clientID: "acme", mode: mode, source: .cli, fileName: file, startedAt: start,
            finishedAt: start.addingTimeInterval(60), rows: rows, accepted: rows, rejected: 0, duplicates: 0,
            recordsBefore: before, recordsAfter: after, status: .applied)
    }

    /// An environment on this store for `actor`, with the fixture's folders and clock.
    @MainActor
    func environment(
        _ actor: Operator = ConsoleFixture.admin, storage: any StorageConnector = LocalStorageConnector()
    ) -> ConsoleEnvironment {
        ConsoleEnvironment(
            store: store, actor: actor, folders: ConsoleFolders(uploads: uploads, dropZone: dropZone, exports: exports),
            now: { ConsoleFixture.now }, storage: storage)
    }

    /// The console's text with what differs between runs zeroed, keeping lengths (so cut lines stay cut at the same
    /// place), for snapshots: the fixture's temporary folder and how long an upload took (`in 0.1 s` → `in 0.0 s`).
    static func masked(_ text: String) -> String {
        var result = text
        for (pattern, keep) in [("bakery-tests-[0-9A-F-]+", "bakery-tests-"), ("rows in [0-9]+\\.[0-9] s", "rows in ")] {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            for match in expression.matches(in: result, range: NSRange(result.startIndex..., in: result)).reversed() {
                guard let range = Range(match.range, in: result) else { continue }
                let tail = result[range].dropFirst(keep.count).map { $0 == "." || $0 == " " || $0 == "s" ? String($0) : "0" }
                    .joined()
                result.replaceSubrange(range, with: keep + tail)
            }
        }
        return result
    }
}
