import ArgumentParser
import BakeryCore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Who did what, when, and with what outcome: uploads, dry runs, exports, client changes, refusals.",
        discussion: """
            Newest first. --action takes an action (upload.apply) or its family (upload: every upload.* entry).
            Actions: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")).
            Example: bakery audit --client acme --action export --json
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only entries about this client.") var client: String?
    @Option(help: "Only this action, or this family of actions.") var action: String?
    @Option(help: "Only entries by this operator (or scheduler, watch, demo).") var actor: String?
    @Option(help: "At most this many entries.") var limit = 100
    @Flag(help: "An array of {id, at, actor, role, action, client, outcome, detail} on stdout.") var json = false

    func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000000") }
    }

    func run() async throws {
        let store = try database.session().store
        if let client, try await store.client(id: client) == nil {
            // Entries of removed clients stay in the log: only warn.
            Console.note("no client '\(client)' now; showing the entries the log keeps about it")
        }
        let entries = try await store.allAuditEntries(
            AuditQuery(clientID: client, action: action, actor: actor), limit: limit)
        if json { return try JSONOutput.print(entries.map(AuditEntryJSON.init)) }
        guard !entries.isEmpty else { return Console.note("no audit entries match") }
        var table = TextTable(headers: ["TIME", "ACTOR", "ROLE", "ACTION", "CLIENT", "OUTCOME", "DETAIL"])
        table.rows = entries.map {
            [
                Figures.minute($0.at), $0.actor, $0.role?.rawValue ?? "-", $0.action, $0.clientID ?? "-",
                $0.outcome.rawValue, $0.detail,
            ]
        }
        print(table.render())
    }
}

/// An audit entry as `audit --json` writes it.
struct AuditEntryJSON: Encodable {
    var id: Int64?
    var at: Date
    var actor: String
    var role: String?
    var action: String
    var client: String?
    var outcome: String
    var detail: String

    init(_ entry: AuditEntry) {
        id = entry.id
        at = entry.at
        actor = entry.actor
        role = entry.role?.rawValue
        action = entry.action
        client = entry.clientID
        outcome = entry.outcome.rawValue
        detail = entry.detail
    }

    enum CodingKeys: String, CodingKey { case id, at, actor, role, action, client, outcome, detail }

    // Nil fields print as null, as the contract shows them.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(role, forKey: .role)
        try container.encode(action, forKey: .action)
        try container.encode(client, forKey: .client)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(detail, forKey: .detail)
    }
}
