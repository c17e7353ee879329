import ArgumentParser
import BakeryCore
import Foundation

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Work with the identity graph (DA ids and device ids linked to hashed identifiers).",
        subcommands: [Import.self])
}

extension GraphCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load identity-graph edges from a CSV file in one transaction: all of it or nothing.",
            discussion: """
                Header: da_id (or device_id with device_type IDFA|AAID), one or more of email_sha256, phone_sha256, \
                address_sha256, personal_id_sha256, and optionally last_seen (ISO 8601; default now). Each hash \
                cell of an accepted row is one edge; an edge already stored only has its last-seen time moved \
                forward.
                Rejected rows are listed (row, reason, column, masked value) in FILE.rejections.csv beside the file, \
                or at --report.
                Example: bakery graph import edges-2026-11-29.csv.gz --json
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A graph file: .csv, .csv.gz or .zip holding one CSV.", completion: .file()) var file: String
        @Option(help: ArgumentHelp("Where to write the rejection report (CSV).", valueName: "path"))
        var report: String?
        @Flag(help: "The summary as one JSON object on stdout.") var json = false

        func run() async throws {
            let (input, reportURL) = try InputFile.resolve(file, report: report)
            // The graph is shared by all clients, so a feed may arrive before the first client: create the database.
            let (actor, store) = try database.session(create: true, requiring: .upload)
            let summary = try await GraphImport(store: store).run(file: input, actor: actor, report: reportURL)
            if json { return try JSONOutput.print(GraphImportJSON(summary)) }
            print(GraphImportJSON(summary).text)
        }
    }
}
