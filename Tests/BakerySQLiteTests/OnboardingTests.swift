import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation
import Testing

/// The onboarding service end to end on a SQLite store: progress, cancellation, reports.
@Suite("Onboarding service")
struct OnboardingTests {
    static func setUp(rows: Int) async throws -> (SQLiteStore, URL) {
        let folder = try TemporaryFolder.make()
        let store = try SQLiteStore(path: folder.appendingPathComponent("b.sqlite").path, mode: .createIfMissing)
        try await store.addClient(Fixtures.client("acme"))
        let file = folder.appendingPathComponent("crm.csv")
        var text = "email,phone\r\n"
        for index in 0..<rows { text += "p\(index)@example.nl,\(index % 10 == 0 ? "12" : "")\r\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (store, file)
    }

    @Test func progressIsReportedAndTheReportWritten() async throws {
        let (store, file) = try await Self.setUp(rows: 50_000)
        let seen = Seen()
        let report = file.deletingLastPathComponent().appendingPathComponent("r.csv")
        let summary = try await Onboarding(store: store).run(
            OnboardingRequest(clientID: "acme", file: file, mode: .add, source: .cli, actor: Fixtures.actor, report: report),
            progress: { seen.add($0) })
        #expect(summary.accepted == 45_000)
        #expect(summary.rejected == [.invalidPhone: 5_000])
        #expect(summary.recordsAfter == 45_000)
        #expect(!summary.hashedOnly)
        let fractions = seen.values.map(\.fraction)
        #expect(fractions.count > 5 && fractions == fractions.sorted() && fractions.last == 1, "\(fractions)")
        let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\r\n")
        #expect(lines.count == 5_001)
        #expect(lines[1] == "1,2,invalid_phone,phone,****")
    }

    @Test func cancellingRollsEverythingBack() async throws {
        let (store, file) = try await Self.setUp(rows: 300_000)
        let seen = Seen()
        let task = Task {
            try await Onboarding(store: store).run(
                OnboardingRequest(clientID: "acme", file: file, mode: .add, source: .console, actor: Fixtures.actor),
                progress: { seen.add($0) })
        }
        while seen.values.last.map({ $0.fraction < 0.2 }) ?? true { try await Task.sleep(for: .milliseconds(2)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try await store.counts(clientID: "acme", now: Fixtures.now) == ClientCounts())
        let audit = try await store.auditEntries(AuditQuery(clientID: "acme", action: "upload"), page: PageRequest(limit: 5))
        #expect(audit.items.map(\.outcome) == [.failed])
        #expect(audit.items.first?.detail.contains("cancelled; nothing was stored") == true)
    }

    @Test func anUnknownClientIsRefusedBeforeReading() async throws {
        let (store, file) = try await Self.setUp(rows: 3)
        await #expect(throws: BakeryError.unknownClient("ghost")) {
            try await Onboarding(store: store).run(
                OnboardingRequest(clientID: "ghost", file: file, mode: .add, source: .cli, actor: Fixtures.actor))
        }
    }
}

/// Progress values collected from the writer's thread.
private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var _values: [OnboardingProgress] = []
    var values: [OnboardingProgress] { lock.withLock { _values } }
    func add(_ value: OnboardingProgress) { lock.withLock { _values.append(value) } }
}
