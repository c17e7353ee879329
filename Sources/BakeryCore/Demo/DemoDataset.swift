import Foundation

/// What `bakery demo` builds: how many clients and CRM records, from which seed, relative to which day.
public struct DemoOptions: Sendable {
    public var clients: Int
    /// CRM records over all clients, split by each client's size.
    public var records: Int
    public var seed: UInt64
    /// The dataset's "today": sync activity covers the 30 days up to it.
    public var now: Date

    public init(clients: Int = 12, records: Int = 60_000, seed: UInt64 = 42, now: Date = Date()) {
        self.clients = clients
        self.records = records
        self.seed = seed
        self.now = now
    }

    public static let clientRange = 1...200
    public static let recordRange = 0...20_000_000

    public func validate() throws(BakeryError) {
        guard DemoOptions.clientRange.contains(clients) else {
            throw .invalidInput("--clients must be between 1 and \(DemoOptions.clientRange.upperBound), got \(clients)")
        }
        guard DemoOptions.recordRange.contains(records) else {
            throw .invalidInput("--records must be between 0 and \(DemoOptions.recordRange.upperBound), got \(records)")
        }
    }
}

/// What a demo build wrote.
public struct DemoSummary: Codable, Sendable, Equatable {
    public var clients = 0
    public var records = 0
    public var identifiers = 0
    public var graphEdges = 0
    public var syncPairs = 0
    public var syncDays = 0
    public var uploads = 0
    public var exportRuns = 0
    public var snapshots = 0
    public var seconds = 0.0

    enum CodingKeys: String, CodingKey {
        case clients, records, identifiers, uploads, snapshots, seconds
        case graphEdges = "graph_edges"
        case syncPairs = "sync_pairs"
        case syncDays = "sync_days"
        case exportRuns = "export_runs"
    }
}

/// Builds a realistic, deterministic demo dataset through the ``Store`` protocol.
///
/// Every figure it stores is computed from the rows it generates — the match-rate history, export row counts
/// and upload counts follow the same rules real matching uses — so the console and `stats` show data that
/// agrees with itself. Running it again first removes the demo clients (and only those).
public enum DemoDataset {
    /// Builds the dataset; `progress` receives one line per client. Needs the `admin` role: it replaces the demo
    /// clients' data.
    public static func build(
        _ options: DemoOptions, into store: any Store, by actor: Operator, progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> DemoSummary {
        try options.validate()
        try await actor.require(.administer, to: "build the demo dataset", auditingIn: store)
        let started = Date()
        let profiles = DemoProfile.profiles(count: options.clients)
        let existing = Set(try await store.clients().map(\.id))
        for profile in profiles where existing.contains(profile.id) {
            progress("removing the previous demo client \(profile.id)")
            try await store.removeClient(id: profile.id, audit: .clientRemoved(profile.id, by: actor, at: options.now))
        }
        let totalWeight = profiles.map(\.weight).reduce(0, +)
        var summary = DemoSummary()
        var assigned = 0
        var shares: [Int] = []
        for (index, profile) in profiles.enumerated() {
            let share =
                index == profiles.count - 1
                ? options.records - assigned
                : Int((Double(options.records) * profile.weight / totalWeight).rounded())
            shares.append(max(0, min(share, options.records - assigned)))
            assigned += shares[index]
        }
        let today = Day(options.now)
        let seed = options.seed
        let plan = Array(zip(profiles, shares))
        func generate(_ index: Int) -> Task<DemoClientData, Never> {
            Task {
                var random = SeededRandom(seed: seed &* 0x1000_0000_01B3 &+ UInt64(index))
                return DemoClientData.generate(
                    profile: plan[index].0, records: plan[index].1, today: today, random: &random)
            }
        }
        // Generate the next client on the second core while this one is written.
        var next = generate(0)
        for index in profiles.indices {
            let data = await next.value
            if index + 1 < profiles.count { next = generate(index + 1) }
            try await data.write(to: store, now: options.now, by: actor, summary: &summary)
            progress("\(data.profile.id): \(shares[index]) records, \(data.pairs.count) sync pairs")
        }
        _ = try await store.appendAudit(.demoBuilt(options, by: actor))
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
