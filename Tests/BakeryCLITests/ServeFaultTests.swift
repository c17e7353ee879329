import Foundation
import Testing

/// `bakery serve` under faults: killed with SIGKILL under load, and a full disk under load. The bound is the
/// operator guide's write guarantee: every hit answered 200 is committed within the flush interval plus one batch
/// (under a second), so a SIGKILL loses at most the last second's answered hits and never a hit the server had
/// reported committed. Results in docs/reliability.md, Faults.
@Suite("bakery serve under faults", .serialized)
struct ServeFaultTests {
    static let partner = "r42-acme"

    static func prepared() throws -> BakeryRunner {
        let bakery = try BakeryRunner()
        try #require(
            try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "relay42", "--partner", partner]).status == 0)
        return bakery
    }

    /// The numbers N of the stored cookie ids `PREFIX…-N`, sorted.
    static func stored(_ bakery: BakeryRunner, prefix: String) throws -> [Int] {
        try bakery.sql("SELECT cookie_id FROM sync_pair WHERE cookie_id LIKE '\(prefix)%'")
            .split(separator: "\n").compactMap { $0.split(separator: "-").last.flatMap { Int($0) } }.sorted()
    }

    @Test(arguments: [900, 1_600, 2_300])
    func killedUnderLoadItLosesAtMostTheLastSecondAndNothingItReportedCommitted(afterMilliseconds: Int) async throws {
        let bakery = try Self.prepared()
        let server = try ServeProcess(bakery)
        try await server.waitUntilReady()
        let started = ContinuousClock.now
        let streams = try ["a", "b", "c"].map {
            try PixelStream(server, partner: Self.partner, prefix: $0, count: 200_000, folder: bakery.folder)
        }
        // What the server reports committed while it runs: none of it may be missing after the kill.
        var acknowledged = 0.0
        while ContinuousClock.now < started + .milliseconds(afterMilliseconds) {
            acknowledged = server.metric("bakery_sync_hits_written_total") ?? acknowledged
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop(SIGKILL)
        let elapsed = ContinuousClock.now - started
        streams.forEach { $0.wait() }
        #expect(try FaultTests.integrity(bakery.database) == "ok")

        var answered = 0, kept = 0, lost = 0
        for stream in streams {
            let numbers = try Self.stored(bakery, prefix: stream.prefix)
            // One writer drains one FIFO queue in order, and each stream waits for an answer before its next pixel:
            // what was kept of a stream is its first hits, with no gap.
            #expect(numbers == Array(0..<numbers.count), "stream \(stream.prefix) kept a prefix of what it fired")
            // The hit whose answer the kill cut off may be stored without having been answered; nothing more.
            #expect(numbers.count <= stream.answered + 1, "stream \(stream.prefix) kept nothing it was not answered for")
            answered += stream.answered
            kept += numbers.count
            lost += max(0, stream.answered - numbers.count)
        }
        #expect(answered > 500, "the load reached the server (\(answered) answered)")
        #expect(Double(kept) >= acknowledged, "every hit /metrics reported committed (\(acknowledged)) is stored (\(kept))")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = Double(answered) / seconds
        #expect(Double(lost) <= perSecond * 1.0, "lost \(lost) answered hits, the bound is one second's: \(Int(perSecond))")
        print("serve SIGKILL after \(afterMilliseconds) ms: answered \(answered), stored \(kept), lost \(lost), rate \(Int(perSecond))/s")

        // The database opens again, and a restarted server takes and commits hits.
        let restarted = try ServeProcess(bakery)
        try await restarted.waitUntilReady()
        let again = try PixelStream(restarted, partner: Self.partner, prefix: "z", count: 10, folder: bakery.folder)
        again.wait()
        restarted.stop(SIGTERM)
        #expect(restarted.process.terminationStatus == 0)
        #expect(try Self.stored(bakery, prefix: "z") == Array(0..<10))
    }

    @Test func aFullDiskHoldsAnsweredHitsInTheQueueSaysSoAndCommitsThemWhenSpaceReturns() async throws {
        let bakery = try Self.prepared()
        let disk = bakery.folder.appendingPathComponent("disk")
        try await FaultTests.withDisk(disk, kib: 8_192) {
            let database = disk.appendingPathComponent("bakery.sqlite").path
            try FileManager.default.copyItem(atPath: bakery.database, toPath: database)
            let server = try ServeProcess(bakery, database: database)
            try await server.waitUntilReady()
            // Fill what is left of the disk.
            let filler = disk.appendingPathComponent("filler")
            FileManager.default.createFile(atPath: filler.path, contents: nil)
            let handle = try FileHandle(forWritingTo: filler)
            let block = Data(count: 64 * 1_024)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()

            let stream = try PixelStream(
                server, partner: Self.partner, prefix: "full", count: 3_000, folder: bakery.folder, cookieLength: 200)
            stream.wait()
            #expect(stream.answered == 3_000, "the queue took every hit while the disk was full")
            let health = try #require(server.get("/healthz"))
            #expect(health.status == 503 && health.body.contains("writes failing"), "\(health)")
            #expect((server.metric("bakery_write_failures_total") ?? 0) >= 1)
            #expect(server.logText.contains("the disk holding it is full"), "\(server.logText.suffix(600))")

            // Space returns: the queued hits are committed without a restart, and the server is healthy again.
            try FileManager.default.removeItem(at: filler)
            var depth = -1.0
            for _ in 0..<100 {
                depth = server.metric("bakery_write_queue_depth") ?? -1
                if depth == 0, server.get("/healthz")?.status == 200 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(depth == 0)
            #expect(server.get("/healthz")?.status == 200)
            server.stop(SIGTERM)
            #expect(server.process.terminationStatus == 0)
            #expect(try FaultTests.integrity(database) == "ok")
            let count = try FaultTests.shell(
                "/usr/bin/sqlite3", ["-readonly", database, "SELECT count(*) FROM sync_pair WHERE cookie_id LIKE 'full%'"])
            #expect(count.out.trimmingCharacters(in: .whitespacesAndNewlines) == "3000", "every answered hit was committed")
        }
    }
}
