import Foundation
import Testing

@Suite("bakery demo and stats")
struct DemoAndStatsTests {
    @Test func demoThenListAndStatsShowTheGeneratedClientsAndCounts() throws {
        let bakery = try BakeryRunner()
        let demo = try bakery.run(["demo", "--records", "3000", "--seed", "7", "--json"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let summary = try #require(try demo.json() as? [String: Any])
        #expect(summary["clients"] as? Int == 12)
        #expect(summary["records"] as? Int == 3000)

        let clients = try #require(try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]])
        #expect(clients.count == 12)
        #expect(Set(clients.compactMap { $0["country"] as? String }) == ["NL", "SE", "FI"])
        #expect(Set(clients.compactMap { $0["dmp"] as? String }).count == 9, "every DMP kind is used")

        let stats = try #require(try bakery.run(["stats", "--json"]).json() as? [[String: Any]])
        #expect(stats.count == 12)
        let active = stats.compactMap { $0["records"] as? Int }.reduce(0, +)
        let removed = stats.compactMap { $0["removed_records"] as? Int }.reduce(0, +)
        #expect(active + removed == 3000)
        #expect(removed > 0 && removed < 300, "a few opt-outs: \(removed)")
        for row in stats {
            let client = row["client"] as? String ?? "?"
            #expect((row["synced_cookies"] as? Int ?? 0) > 0, "\(client) has syncs")
            let byKind = try #require(row["by_kind"] as? [String: [String: Any]])
            #expect((byKind["email"]?["records"] as? Int ?? 0) > 0)
            // Live matching agrees with the figures the demo stored for today.
            let trend = try #require(row["trend"] as? [[String: Any]])
            #expect(trend.count == 30)
            #expect(row["matched_records"] as? Int == trend.last?["matched_records"] as? Int, "\(client)")
            let rate = try #require(row["match_rate"] as? Double)
            #expect(rate > 0.05 && rate < 0.9, "\(client): \(rate)")
        }
        let one = try #require(try bakery.run(["stats", "zuiderzee", "--json"]).json() as? [String: Any])
        #expect(one["client"] as? String == "zuiderzee")
    }

    @Test func theSameSeedBuildsTheSameDataAndARerunReplacesOnlyDemoClients() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "mine", "--name", "Mine", "--country", "NL", "--dmp", "custom"])
        try bakery.run(["demo", "--records", "1200", "--clients", "3", "--seed", "5"])
        let first = try bakery.run(["stats", "--json"]).stdout
        let again = try bakery.run(["demo", "--records", "1200", "--clients", "3", "--seed", "5"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try bakery.run(["stats", "--json"]).stdout == first)
        let ids = try #require(try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(ids.contains("mine") && ids.count == 4)
    }

    @Test func allClientsSortByMatchRateHighestFirst() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["demo", "--records", "1500", "--clients", "5"])
        let rows = try #require(try bakery.run(["stats", "--sort", "match-rate", "--json"]).json() as? [[String: Any]])
        let rates = rows.compactMap { $0["match_rate"] as? Double }
        #expect(rates.count == 5 && rates == rates.sorted(by: >))
        let text = try bakery.run(["stats", "--sort", "match-rate"])
        #expect(text.status == 0 && text.stdout.contains("MATCHED COOKIES"))
    }

    @Test func statsOnAnEmptyDatabaseIsAnEmptyArray() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "x", "--name", "X", "--country", "NL", "--dmp", "custom"])
        let stats = try #require(try bakery.run(["stats", "--json"]).json() as? [[String: Any]])
        #expect(stats.count == 1 && stats[0]["records"] as? Int == 0)
    }
}
