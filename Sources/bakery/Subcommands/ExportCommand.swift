import ArgumentParser
import BakeryCore
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write (or preview) the delta file of DMP cookie id - CRM record id pairs for a day.",
        discussion: """
            For day D (UTC; default yesterday): every DMP cookie of the client seen on D with a matched active \\
            record, paired with each matched record's id. Files go to OUT/CLIENT/: the gzip data file, a \\
            manifest and a .done marker written last. --all without --date catches up every day since each \\
            client's last successful export (at most 30 days back).
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The client's id (or --all).") var client: String?
    @Flag(help: "Every client.") var all = false
    @Option(help: "The UTC day to export, YYYY-MM-DD (default: yesterday).") var date: String?
    @Flag(help: "Print counts and the first rows; write nothing.") var preview = false
    @Option(help: "Export root folder (default: $BAKERY_EXPORTS, else ./exports).") var out: String?
    @Flag(help: "Then deliver each written day to the client's delivery location (see `bakery storage`).")
    var deliver = false
    @Flag(help: "One JSON document on stdout.") var json = false

    func validate() throws {
        guard (client == nil) != !all else { throw ValidationError("give a client id or --all, not both") }
        if let date, Day(iso: date) == nil { throw ValidationError("--date must be a real day as YYYY-MM-DD, got '\(date)'") }
        if deliver && preview { throw ValidationError("--deliver writes files; it cannot go with --preview") }
    }

    func run() async throws {
        let (actor, store) = try database.session()
        let root = ExportFolder.resolve(out)
        let export = DeltaExport(store: store, root: root)
        let yesterday = Day(Date()).adding(days: -1)
        let clients = try await store.clients(only: client)
        var jobs: [DeltaExport.Job] = []
        for client in clients {
            if let date, let day = Day(iso: date) {
                jobs.append(.init(client: client, day: day))
            } else if all && !preview {
                for day in try await export.catchUpDays(clientID: client.id, through: yesterday) {
                    jobs.append(.init(client: client, day: day))
                }
            } else {
                jobs.append(.init(client: client, day: yesterday))
            }
        }
        if deliver, !all, let client = clients.first,
            try await !store.storageLocations(clientID: client.id).contains(where: { $0.role == .delivery })
        {
            throw BakeryError.invalidInput(
                "\(client.id) has no delivery location; add one with `bakery storage add \(client.id) delivery URL`")
        }
        let delivery = ExportDelivery(store: store, connector: StorageConnectors.standard)
        var documents: [ExportJSON] = []
        var failures: [String] = []
        for outcome in await export.perform(jobs, preview: preview, by: actor) {
            switch outcome {
            case .previewed(let preview):
                documents.append(ExportJSON(preview))
            case .written(let run):
                guard deliver, let client = clients.first(where: { $0.id == run.clientID }) else {
                    documents.append(ExportJSON(run))
                    continue
                }
                do {
                    documents.append(ExportJSON(try await delivery.deliver(run, client: client, by: actor)))
                } catch {
                    let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                    failures.append("\(run.clientID) \(run.day): \(message)")
                    var document = ExportJSON(run)
                    document.delivery = "failed"
                    document.deliveryMessage = message
                    documents.append(document)
                }
            case .failed(let client, let day, let message):
                failures.append("\(client) \(day): \(message)")
                documents.append(ExportJSON(failed: client, day: day, message: message))
            }
        }
        if json {
            try all ? JSONOutput.print(documents) : JSONOutput.print(documents.first ?? ExportJSON(failed: client ?? "", day: yesterday, message: "nothing to export"))
        } else {
            for document in documents { print(document.text) }
            if documents.isEmpty { Console.note("nothing to export: every client is up to date") }
        }
        if !failures.isEmpty {
            throw BakeryError.storeFailure("export failed for \(failures.count) day(s): \(failures.joined(separator: "; "))")
        }
    }
}

/// `export --json`: a run (`{client, date, rows, file, sha256, …}`) or a preview (`{…, cookies, records, sample}`).
struct ExportJSON: Encodable {
    var client: String
    var date: Day
    var rows: Int
    var file: String?
    var sha256: String?
    var bytes: Int?
    var seconds: Double?
    var outcome: String
    var message: String?
    var cookies: Int?
    var records: Int?
    var sample: [[String]]?
    var delivery: String?
    var deliveredTo: String?
    var deliveryMessage: String?

    enum CodingKeys: String, CodingKey {
        case client, date, rows, file, sha256, bytes, seconds, outcome, message, cookies, records, sample, delivery
        case deliveredTo = "delivered_to"
        case deliveryMessage = "delivery_message"
    }

    init(_ run: ExportRun) {
        client = run.clientID
        date = run.day
        rows = run.rows
        file = run.localFile?.path ?? run.file
        sha256 = run.sha256
        bytes = run.bytes
        seconds = run.duration
        outcome = run.outcome.rawValue
        delivery = run.delivery?.status.rawValue
        deliveredTo = run.delivery?.status == .delivered ? run.delivery?.uri : nil
        deliveryMessage = run.delivery?.message
    }

    init(_ preview: DeltaExport.Preview) {
        client = preview.client
        date = preview.day
        rows = preview.rows
        cookies = preview.cookies
        records = preview.records
        sample = preview.sample.map { [$0.cookieID, $0.recordID] }
        outcome = "preview"
    }

    init(failed client: String, day: Day, message: String) {
        self.client = client
        date = day
        rows = 0
        outcome = "failed"
        self.message = message
    }

    var text: String {
        if let sample {
            let lines = sample.map { "  \($0[0])  \($0[1])" }
            return (["\(client) \(date): \(Figures.grouped(rows)) rows, \(Figures.grouped(cookies ?? 0)) cookies, "
                + "\(Figures.grouped(records ?? 0)) records (preview: nothing written)"] + lines).joined(separator: "\n")
        }
        if outcome == "failed" { return "\(client) \(date): FAILED — \(message ?? "")" }
        var line = "\(client) \(date): \(Figures.grouped(rows)) rows → \(file ?? "-") (sha256 \(sha256 ?? "-"))"
        if let deliveredTo { line += "\n  delivered to \(deliveredTo)" }
        if delivery == "failed" { line += "\n  delivery FAILED — \(deliveryMessage ?? "")" }
        return line
    }
}
