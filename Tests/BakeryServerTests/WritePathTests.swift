import BakeryCore
import BakeryServer
import BakeryTesting
import Foundation
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

@Suite("Write path, health and metrics")
struct WritePathTests {
    @Test func everyAcceptedRequestIsCommittedByGracefulShutdown() async throws {
        let harness = try await ServerHarness {
            $0.batchSize = 64; $0.flushInterval = .milliseconds(20)
        }
        let group = ServiceGroup(services: [harness.server.writer], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let accepted = 1_000
        try await harness.server.makeApplication().test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for index in 0..<accepted {
                    tasks.addTask {
                        try await client.execute(
                            uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=N\(index % 250)",
                            method: .get, headers: [.cookie: "da_id=\(ServerHarness.validDA)"]
                        ) { #expect($0.status == .ok) }
                    }
                }
                try await tasks.waitForAll()
            }
        }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(harness.server.queue.depth == 0)
        var hits = 0
        for index in 0..<250 { hits += try await harness.pairs("acme-dmp", "N\(index)").reduce(0) { $0 + $1.hits } }
        #expect(hits == accepted)
        #expect(harness.server.metrics.text().contains("bakery_sync_hits_written_total 1000"))
    }

    @Test func aRunningWriterCommitsWithoutWaitingForShutdown() async throws {
        let harness = try await ServerHarness { $0.flushInterval = .milliseconds(50) }
        let group = ServiceGroup(services: [harness.server.writer], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        try await harness.server.makeApplication().test(.router) { client in
            try await client.execute(uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=LIVE", method: .get) {
                _ in
            }
        }
        var committed = false
        for _ in 0..<100 where !committed {
            committed = try await !harness.pairs("acme-dmp", "LIVE").isEmpty
            if !committed { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(committed, "committed within 5 s while the writer runs")
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func healthAndMetricsReport() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=M", method: .get) {
                _ in
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("\"status\":\"ok\"") && body.contains("\"queue_depth\":1"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("bakery_requests_total{endpoint=\"sync\",outcome=\"ok\"} 1"))
                #expect(text.contains("# TYPE bakery_request_duration_seconds histogram"))
                #expect(text.contains("bakery_write_queue_depth"))
            }
        }
    }

    @Test func aLiveClientKeepsItsDAIDAcrossTwoRequests() async throws {
        let harness = try await ServerHarness { $0.port = 0 }
        try await harness.server.makeApplication().test(.live) { client in
            let first = try await client.execute(
                uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=L1", method: .get)
            let daID = try #require(first.cookie("da_id"))
            let second = try await client.execute(
                uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=L2", method: .get,
                headers: [.cookie: "da_id=\(daID)"])
            #expect(second.cookie("da_id") == daID)
        }
        await harness.server.writer.drain()
        #expect(try await harness.pairs("acme-dmp", "L1").first?.daID == harness.pairs("acme-dmp", "L2").first?.daID)
    }
}

@Suite("Writer failures")
struct WriterFailureTests {
    /// Hits answered for a partner whose client was removed before the commit cannot be stored: the writer drops
    /// exactly those, counts them, and does not stall on them.
    @Test func hitsOfARemovedPartnerAreDroppedAndCounted() async throws {
        let harness = try await ServerHarness()
        let queue = WriteQueue(capacity: 10)
        let hit = SyncHit(partner: "acme-dmp", cookieID: "F", daID: ServerHarness.validDA, site: nil, at: Fixtures.now)
        #expect(queue.offer([.sync(hit), .sync(hit)]))
        try await harness.store.removeClient(id: "acme")
        let writer = SyncWriter(
            queue: queue, store: harness.store, configuration: ServerConfiguration(), metrics: harness.server.metrics,
            logger: Logger(label: "test"))
        #expect(await writer.drain(patience: .seconds(2)) == 0)
        #expect(harness.server.metrics.text().contains("bakery_writes_dropped_total 2"))
    }

    static func writer(_ harness: ServerHarness, _ queue: WriteQueue) -> SyncWriter {
        SyncWriter(
            queue: queue, store: harness.store, configuration: ServerConfiguration(), metrics: harness.server.metrics,
            logger: Logger(label: "test"))
    }

    /// Hits of two removed partners in one batch: both dropped and counted, the rest stored, no retry loop.
    @Test func hitsOfTwoRemovedPartnersInOneBatchAreDroppedAndTheRestStored() async throws {
        let harness = try await ServerHarness()
        try await harness.store.addClient(Fixtures.client("beta"))
        try await harness.store.addClient(Fixtures.client("gamma"))
        let queue = WriteQueue(capacity: 10)
        let hits = ["acme-dmp", "beta-dmp", "gamma-dmp", "beta-dmp"].enumerated().map { index, partner in
            PendingWrite.sync(SyncHit(partner: partner, cookieID: "C\(index)", daID: ServerHarness.validDA, site: nil, at: Fixtures.now))
        }
        #expect(queue.offer(hits))
        try await harness.store.removeClient(id: "beta")
        try await harness.store.removeClient(id: "gamma")
        #expect(await Self.writer(harness, queue).drain(patience: .seconds(2)) == 0, "nothing left to retry")
        #expect(try await harness.store.syncPairs(daID: ServerHarness.validDA).map(\.cookieID) == ["C0"])
        #expect(harness.server.metrics.text().contains("bakery_writes_dropped_total 3"))
    }

    /// A batch the store refuses (here: an edge with an empty node id, which no endpoint queues) is one transaction:
    /// nothing of it was stored, so the writes are tried one by one — each hit stored once, the invalid edge dropped.
    @Test func aBatchWithAnInvalidWriteStoresEveryOtherWriteOnceAndDropsOnlyThatOne() async throws {
        let harness = try await ServerHarness()
        let queue = WriteQueue(capacity: 10)
        let hit = SyncHit(partner: "acme-dmp", cookieID: "F", daID: ServerHarness.validDA, site: nil, at: Fixtures.now)
        let identifier = Fixtures.record("acme", "r").identifiers[0]
        #expect(queue.offer([
            .sync(hit), .graph(GraphEdge(node: .daID(""), identifier: identifier, lastSeen: Fixtures.now)),
            .graph(GraphEdge(node: .daID(ServerHarness.validDA), identifier: identifier, lastSeen: Fixtures.now)),
        ]))
        #expect(await Self.writer(harness, queue).drain(patience: .seconds(2)) == 0)
        #expect(try await harness.store.syncPairs(daID: ServerHarness.validDA).map(\.hits) == [1], "counted once")
        #expect(try await harness.store.graphEdges(node: .daID(ServerHarness.validDA)).count == 1)
        let metrics = harness.server.metrics.text()
        #expect(metrics.contains("bakery_writes_dropped_total 1") && metrics.contains("bakery_sync_hits_written_total 1"))
    }
}
