import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation
import GRDB
import Testing

/// The demo's stored figures (snapshots, counts) checked against independent SQL over the rows it wrote.
@Suite("Demo dataset")
struct DemoDatasetTests {
    static let options = DemoOptions(clients: 12, records: 6_000, seed: 3, now: Fixtures.now)

    static func build(_ options: DemoOptions = options) async throws -> SQLiteStore {
        let path = try TemporaryFolder.make().appendingPathComponent("demo.sqlite").path
        let store = try SQLiteStore(path: path, mode: .createIfMissing)
        _ = try await DemoDataset.build(options, into: store, by: Fixtures.actor)
        return store
    }

    @Test func todaysSnapshotAgreesWithTheStoredRows() async throws {
        let store = try await Self.build()
        let today = Day(Fixtures.now)
        let queue = try DatabaseQueue(path: store.path)
        var rates: [Double] = []
        for client in try await store.clients() {
            let counts = try await store.counts(clientID: client.id, now: Fixtures.now)
            let history = try await store.snapshots(clientID: client.id, since: today.adding(days: -29))
            #expect(history.count == 30)
            let snapshot = try #require(history.last)
            #expect(snapshot.day == today)
            #expect(snapshot.records == counts.activeRecords)
            #expect(snapshot.syncedCookies == counts.syncedCookies)
            #expect(snapshot.byKind.mapValues(\.records) == counts.recordsByKind)
            let matched = try await queue.read { db in
                try Int.fetchOne(db, sql: Self.matchedRecordsSQL, arguments: [client.id])!
            }
            let matchedCookies = try await queue.read { db in
                try Int.fetchOne(db, sql: Self.matchedCookiesSQL, arguments: [client.id])!
            }
            #expect(snapshot.matchedRecords == matched, "\(client.id)")
            let live = try await store.matchFigures(clientID: client.id)
            #expect(live.matchedRecords == matched && live.matchedCookies == snapshot.matchedCookies, "\(client.id)")
            #expect(live.matchedByKind == snapshot.byKind.mapValues(\.matched).filter { $0.value > 0 }, "\(client.id)")
            #expect(snapshot.matchedCookies == matchedCookies, "\(client.id)")
            for kind in IdentifierKind.allCases {
                let viaKind = try await queue.read { db in
                    try Int.fetchOne(db, sql: Self.matchedRecordsSQL + " AND i.kind = ?", arguments: [client.id, kind.rawValue])!
                }
                #expect((snapshot.byKind[kind]?.matched ?? 0) == viaKind, "\(client.id) \(kind)")
            }
            rates.append(snapshot.matchRate)
            let earlier = try #require(history.first)
            #expect(earlier.matchedRecords <= snapshot.matchedRecords + (earlier.records - snapshot.records))
        }
        #expect(rates.allSatisfy { (0.05...0.9).contains($0) }, "tens of percent: \(rates)")
        #expect(Set(rates.map { Int($0 * 100) }).count >= 8, "rates differ per client: \(rates)")
    }

    @Test func theSameSeedBuildsTheSameFigures() async throws {
        let first = try await Self.build(), second = try await Self.build()
        let day = Day(Fixtures.now).adding(days: -29)
        for client in try await first.clients() {
            #expect(try await first.snapshots(clientID: client.id, since: day) == second.snapshots(clientID: client.id, since: day))
            #expect(
                try await first.counts(clientID: client.id, now: Fixtures.now)
                    == second.counts(clientID: client.id, now: Fixtures.now))
        }
        var other = Self.options
        other.seed = 4
        let third = try await Self.build(other)
        #expect(
            try await first.counts(clientID: "zuiderzee", now: Fixtures.now)
                != third.counts(clientID: "zuiderzee", now: Fixtures.now))
    }

    @Test func exportHistoryCountsTheCookiesSeenEachDayWithAMatchedRecord() async throws {
        let store = try await Self.build()
        let queue = try DatabaseQueue(path: store.path)
        for client in try await store.clients() {
            for run in try await store.exportRuns(clientID: client.id, limit: 10) where run.outcome == .succeeded {
                let rows = try await queue.read { db in
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(DISTINCT p.cookie_id) FROM sync_day d JOIN sync_pair p ON p.id = d.pair
                            WHERE d.day = ? AND p.client_id = ? AND EXISTS (\(Self.cookieMatchSQL))
                            """, arguments: [run.day.number, client.id])!
                }
                #expect(run.rows == rows, "\(client.id) \(run.day)")
            }
        }
    }

    @Test(arguments: [
        DemoOptions(clients: 0), DemoOptions(clients: 201), DemoOptions(records: -1), DemoOptions(records: 20_000_001),
    ])
    func refusesSizesOutOfRange(options: DemoOptions) async throws {
        let path = try TemporaryFolder.make().appendingPathComponent("demo.sqlite").path
        let store = try SQLiteStore(path: path, mode: .createIfMissing)
        await #expect(throws: BakeryError.self) { try await DemoDataset.build(options, into: store, by: Fixtures.actor) }
        #expect(try await store.clients().isEmpty)
    }

    /// Active records of a client with a hash that the graph links to a DA id synced with that client.
    static let matchedRecordsSQL = """
        SELECT count(DISTINCT r.id) FROM crm_record r
        JOIN crm_identifier i ON i.record = r.id
        WHERE r.client_id = ? AND r.active = 1 AND EXISTS (
            SELECT 1 FROM graph_edge g JOIN sync_pair p ON p.da_id = g.node AND p.client_id = r.client_id
            WHERE g.hash = i.hash AND g.node_kind = 'da')
        """

    static let cookieMatchSQL = """
        SELECT 1 FROM graph_edge g
        JOIN crm_identifier i ON i.hash = g.hash
        JOIN crm_record r ON r.id = i.record AND r.client_id = p.client_id AND r.active = 1
        WHERE g.node = p.da_id AND g.node_kind = 'da'
        """

    static let matchedCookiesSQL = """
        SELECT count(DISTINCT p.cookie_id) FROM sync_pair p WHERE p.client_id = ? AND EXISTS (\(cookieMatchSQL))
        """
}
