import ArgumentParser
import BakeryCore
import Foundation

struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Add, list and inspect clients (advertisers) and their DMP partner keys.",
        subcommands: [Add.self, List.self, Show.self]
    )
}

extension ClientCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a client with its DMP partner key(s).",
            discussion: """
                Example: bakery client add acme --name "Acme Retail" --country NL --dmp tealium --partner tealium-acme
                Without --partner the client id is its partner key.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Short id: a-z, 0-9 and '-', at most 40 characters.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(help: "ISO 3166-1 alpha-2 country code, e.g. NL, SE, FI.") var country: String
        @Option(help: "The client's DMP: \(DMPKind.allCases.map(\.rawValue).joined(separator: ", ")).") var dmp: DMPKind
        @Option(name: .customLong("partner"), help: "A partner key the DMP sends on the sync pixel (repeatable).")
        var partners: [String] = []
        @Option(help: "Where read=true redirects; ${DA_ID} is replaced by the DA id. Applies to every --partner.")
        var callbackURL: String?
        @Option(help: "The id this client's files carry in the drop zone (onboard/audience={id}/…).")
        var audience: String?
        @Flag(help: "Print the stored client as JSON.") var json = false

        func validate() throws {
            guard Client.isValidID(id) else {
                throw ValidationError("client id '\(id)' is not valid: use 1-40 characters of a-z, 0-9 and '-'")
            }
        }

        func run() async throws {
            let keys = partners.isEmpty ? [id] : partners
            let client = Client(
                id: id, name: name, country: country.uppercased(), dmp: dmp,
                partners: keys.map { Partner(key: $0, callbackURL: callbackURL) }, audience: audience)
            try client.validate()
            let (actor, store) = try database.session(create: true, requiring: .administer)
            try await client.add(to: store, by: actor)
            if json {
                try JSONOutput.print(ClientJSON(client))
            } else {
                Console.note("added client \(id) (\(dmp.displayName), \(client.country)) with partner key(s) \(keys.joined(separator: ", "))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List all clients.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "An array of {id, name, country, dmp, partners} on stdout.") var json = false

        func run() async throws {
            let clients = try await database.session().store.clients()
            if json { return try JSONOutput.print(clients.map(ClientJSON.init)) }
            guard !clients.isEmpty else { return Console.note("no clients yet; add one with `bakery client add` or run `bakery demo`") }
            var table = TextTable(headers: ["ID", "NAME", "COUNTRY", "DMP", "PARTNERS"])
            table.rows = clients.map {
                [$0.id, $0.name, $0.country, $0.dmp.rawValue, $0.partners.map(\.key).joined(separator: ", ")]
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one client with its counts.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The client's id.") var id: String
        @Flag(help: "The client and its counts as one JSON object.") var json = false

        func run() async throws {
            let store = try database.session().store
            guard let client = try await store.client(id: id) else { throw BakeryError.unknownClient(id) }
            let counts = try await store.counts(clientID: id, now: Date())
            let shown = ClientDetailJSON(client: client, counts: counts)
            if json { return try JSONOutput.print(shown) }
            print(shown.text)
        }
    }
}

extension DMPKind: ExpressibleByArgument {}
