import ArgumentParser
import BakeryCore
import Foundation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Match rates per client: records, matched records overall and per identifier kind, cookies.",
        discussion: """
            A record matches when one of its hashed identifiers reaches, through the identity graph, a browser (DA id) \\
            that synced with the client's DMP. Rates are fractions in --json and percentages in text.
            """)

    enum SortKey: String, ExpressibleByArgument, CaseIterable {
        case client, records, matchRate = "match-rate", cookies
    }

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "One client's id; all clients when omitted.") var client: String?
    @Option(help: "Order of the all-clients table: client, records, match-rate (highest first), cookies.")
    var sort: SortKey = .client
    @Flag(help: "An array of objects (a single object for one client) on stdout.") var json = false

    func run() async throws {
        let store = try database.session().store
        let now = Date()
        let clients = try await store.clients(only: client)
        var rows: [StatsJSON] = []
        for client in clients {
            let statistics = try await ClientStatistics.load(client, from: store, now: now)
            let trend = try await store.snapshots(clientID: client.id, since: Day(now).adding(days: -29))
            rows.append(StatsJSON(statistics, trend: trend))
        }
        rows.sort(by: sort.order)
        if json { return client == nil ? try JSONOutput.print(rows) : try JSONOutput.print(rows[0]) }
        var table = TextTable(
            headers: ["CLIENT", "RECORDS", "MATCHED", "RATE", "EMAIL", "PHONE", "ADDRESS", "PERS. ID", "COOKIES", "24H", "MATCHED COOKIES"],
            numeric: Set(1...10))
        table.rows = rows.map { row in
            let kinds = [IdentifierKind.email, .phone, .address, .personalID].map { kind in
                row.byKind[kind.rawValue].map { Figures.percent($0.rate) } ?? "-"
            }
            return [row.client, Figures.grouped(row.records), Figures.grouped(row.matchedRecords), Figures.percent(row.matchRate)]
                + kinds
                + [Figures.grouped(row.syncedCookies), Figures.grouped(row.syncedCookiesLastDay),
                   "\(Figures.grouped(row.matchedCookies)) (\(Figures.percent(row.matchedCookieShare)))"]
        }
        print(table.render())
    }
}

extension StatsCommand.SortKey {
    func order(_ a: StatsJSON, _ b: StatsJSON) -> Bool {
        switch self {
        case .client: a.client < b.client
        case .records: (a.records, b.client) > (b.records, a.client)
        case .matchRate: (a.matchRate, b.client) > (b.matchRate, a.client)
        case .cookies: (a.syncedCookies, b.client) > (b.syncedCookies, a.client)
        }
    }
}
