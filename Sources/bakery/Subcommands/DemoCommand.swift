import ArgumentParser
import BakeryCore
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create or refresh a realistic, deterministic demo dataset.",
        discussion: """
            Builds fictional NL, SE and FI clients across the DMP kinds, hashed CRM records, an identity graph that
            covers part of them, 30 days of cookie-sync activity, upload and export history and daily match figures.
            Running it again replaces the demo clients and leaves every other client alone.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Number of clients (1-200).") var clients = 12
    @Option(help: "CRM records over all clients (0-20000000).") var records = 60_000
    @Option(help: "Random seed: the same seed builds the same data.") var seed: UInt64 = 42
    @Flag(help: "Print what was built as JSON.") var json = false

    func validate() throws {
        do {
            try DemoOptions(clients: clients, records: records, seed: seed).validate()
        } catch {
            throw ValidationError(error.localizedDescription)
        }
    }

    func run() async throws {
        let (actor, store) = try database.session(create: true, requiring: .administer)
        let quiet = json
        let summary = try await DemoDataset.build(
            DemoOptions(clients: clients, records: records, seed: seed), into: store, by: actor,
            progress: { line in if !quiet { Console.note(line) } })
        if json { return try JSONOutput.print(summary) }
        Console.note(
            "demo dataset in \(database.location): \(summary.clients) clients, \(Figures.grouped(summary.records)) records, "
                + "\(Figures.grouped(summary.graphEdges)) graph edges, \(Figures.grouped(summary.syncPairs)) sync pairs "
                + "in \(String(format: "%.1f", summary.seconds)) s")
    }
}
