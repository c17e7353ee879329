import ArgumentParser
import BakeryCore
import Foundation

struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Deliver (again) a day's export to the client's delivery location.",
        discussion: """
            Takes the day's newest succeeded export run and puts its data file, manifest and marker (last) under \
            exports/{dmp}/ at each delivery location, replacing what is there. The outcome goes into the export \
            ledger; exits 1 when the delivery failed.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The client's id.") var client: String
    @Option(help: "The UTC day, YYYY-MM-DD (default: yesterday).") var date: String?
    @Flag(help: "The run with its delivery as JSON.") var json = false

    func validate() throws {
        if let date, Day(iso: date) == nil { throw ValidationError("--date must be a real day as YYYY-MM-DD, got '\(date)'") }
    }

    func run() async throws {
        let (actor, store) = try database.session()
        guard let client = try await store.client(id: self.client) else { throw BakeryError.unknownClient(self.client) }
        let day = date.flatMap(Day.init(iso:)) ?? Day(Date()).adding(days: -1)
        guard try await store.storageLocations(clientID: client.id).contains(where: { $0.role == .delivery }) else {
            throw BakeryError.invalidInput(
                "\(client.id) has no delivery location; add one with `bakery storage add \(client.id) delivery URL`")
        }
        let runs = try await store.exportRuns(
            ExportRunQuery(clientID: client.id, day: day, outcome: .succeeded), page: PageRequest(limit: 1))
        guard let run = runs.items.first else {
            throw BakeryError.invalidInput(
                "\(client.id) has no succeeded export of \(day); run `bakery export \(client.id) --date \(day) --deliver`")
        }
        let delivered = try await ExportDelivery(store: store, connector: StorageConnectors.standard)
            .deliver(run, client: client, by: actor)
        if json { return try JSONOutput.print(ExportJSON(delivered)) }
        print(ExportJSON(delivered).text)
    }
}
