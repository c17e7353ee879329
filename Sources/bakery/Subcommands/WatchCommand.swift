import ArgumentParser
import BakeryCore
import Foundation

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Poll the drop zones and onboard the CRM files that arrive in them.",
        discussion: """
            Without DIR: every client's intake location (`bakery storage add CLIENT intake URL`). With DIR: that \
            local folder only. Layout: onboard/audience={id}/{opt-in|opt-out|replace}/YYYYMMDD_HHmmss.csv[.gz|.zip]; \
            the audience id is the one set with `client add --audience`, and a client's own location takes only its \
            own audience. Files are applied oldest first; where files grow while written (local and SFTP folders) a \
            file whose size changed since the previous look waits for the next poll. Applied files are deleted when \
            they held plain personal data and moved to processed/ when they held only hashes; failures and malformed \
            paths go to failed/, made private to their owner and shredded after --keep-failed-hours. Each leaves NAME.receipt.json (and NAME.rejections.csv) beside it. Each version of a \
            file is applied once, also across crashes.
            With --once, one poll: each location is looked at twice, --interval apart (at most 2 s), and the command \
            exits 1 if any file failed.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "A local drop-zone folder (default: the configured intake locations).", completion: .directory)
    var dir: String?
    @Flag(help: "Poll once and exit.") var once = false
    @Option(help: "Seconds between polls.") var interval: Double = 10
    @Flag(help: "With --once: the receipts as a JSON array on stdout.") var json = false
    @OptionGroup var failedFiles: FailedFileOptions

    func validate() throws {
        guard interval > 0, interval <= 86_400 else {
            throw ValidationError("--interval must be between 0 and 86400 seconds")
        }
        if json && !once { throw ValidationError("--json needs --once") }
    }

    func run() async throws {
        if let dir {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue else {
                throw BakeryError.invalidInput("no drop-zone folder at \(dir)")
            }
        }
        let (actor, store) = try database.session()
        let what = dir.map { "watch the drop zone \($0)" } ?? "watch the intake locations"
        try await actor.require(.upload, to: what, auditingIn: store)
        let poller = IntakePoller(
            store: store, connector: StorageConnectors.standard, actor: actor,
            folders: dir.map { [URL(fileURLWithPath: $0)] } ?? [], failedFiles: failedFiles.rule)
        let log: @Sendable (String) -> Void = { Console.note($0) }
        let zones = try await poller.zones(onlyFolders: dir != nil, log: log)
        if zones.isEmpty {
            Console.note("no intake locations configured; add one with `bakery storage add CLIENT intake URL`")
        }
        await poller.look(zones, log: log)
        if !once { Console.note("watching \(zones.map(\.source.uri).joined(separator: ", ")) every \(interval) s") }
        repeat {
            try await Task.sleep(for: .seconds(once ? min(interval, 2) : interval))
            // Locations added while watching are picked up at the next poll.
            let receipts = await poller.poll(once ? zones : try await poller.zones(onlyFolders: dir != nil, log: log), log: log)
            if once {
                if json { try JSONOutput.print(receipts) }
                if receipts.contains(where: { $0.status != .applied }) { throw ExitCode.failure }
            }
        } while !once
    }
}
