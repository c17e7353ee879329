import ArgumentParser
import BakeryCore
import Foundation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Counts per client: CRM records (per identifier kind), synced cookies, uploads, exports.",
        discussion: "Match rates are not computed yet: matching arrives with the matching and export work.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "One client's id; all clients when omitted.") var client: String?
    @Flag(help: "An array of objects (a single object for one client) on stdout.") var json = false

    struct Row: Encodable {
        var client: String
        var name: String
        var counts: CountsJSON

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(client, forKey: .client)
            try container.encode(name, forKey: .name)
            try counts.encode(to: encoder)
        }

        enum Keys: String, CodingKey { case client, name }
    }

    func run() async throws {
        let store = try database.openStore()
        let now = Date()
        let clients: [Client]
        if let id = client {
            guard let one = try await store.client(id: id) else { throw BakeryError.unknownClient(id) }
            clients = [one]
        } else {
            clients = try await store.clients()
        }
        var rows: [Row] = []
        for client in clients {
            rows.append(Row(client: client.id, name: client.name, counts: CountsJSON(try await store.counts(clientID: client.id, now: now))))
        }
        if json {
            return client == nil ? try JSONOutput.print(rows) : try JSONOutput.print(rows[0])
        }
        var table = TextTable(
            headers: ["CLIENT", "RECORDS", "EMAIL", "PHONE", "ADDRESS", "PERSONAL ID", "COOKIES", "LAST 24H", "LAST EXPORT"],
            numeric: Set(1...7))
        table.rows = rows.map { row in
            let c = row.counts
            let kinds = [IdentifierKind.email, .phone, .address, .personalID].map { Figure.count(c.recordsByKind[$0.rawValue] ?? 0) }
            let last = c.lastExport.map { "\($0.day) \($0.outcome)" } ?? "-"
            return [row.client, Figure.count(c.records)] + kinds + [Figure.count(c.syncedCookies), Figure.count(c.syncedCookiesLastDay), last]
        }
        print(table.render())
    }
}
