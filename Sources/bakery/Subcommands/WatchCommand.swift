import ArgumentParser
import BakeryCore
import Foundation

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Poll a drop zone and onboard the CRM files that arrive in it.",
        discussion: """
            Layout: DIR/onboard/audience={id}/{opt-in|opt-out|replace}/YYYYMMDD_HHmmss.csv[.gz|.zip]; the audience \
            id is the one set with `client add --audience`. Files are applied oldest first; a file whose size \
            changed since the previous look waits for the next poll. Applied files are deleted when they held plain \
            personal data and moved to DIR/processed/ when they held only hashes; failures and malformed paths go to \
            DIR/failed/. Each leaves NAME.receipt.json (and NAME.rejections.csv) beside it.
            With --once, one poll: the folder is looked at twice, --interval apart (at most 2 s), and the command \
            exits 1 if any file failed.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The drop zone's root folder.", completion: .directory) var dir: String
    @Flag(help: "Poll once and exit.") var once = false
    @Option(help: "Seconds between polls.") var interval: Double = 10
    @Flag(help: "With --once: the receipts as a JSON array on stdout.") var json = false

    func validate() throws {
        guard interval > 0, interval <= 86_400 else {
            throw ValidationError("--interval must be between 0 and 86400 seconds")
        }
        if json && !once { throw ValidationError("--json needs --once") }
    }

    func run() async throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue else {
            throw BakeryError.invalidInput("no drop-zone folder at \(dir)")
        }
        let (actor, store) = try database.session()
        try await actor.require(.upload, to: "watch the drop zone \(dir)", auditingIn: store)
        let zone = DropZone(root: URL(fileURLWithPath: dir), store: store, actor: actor)
        var previous = try zone.sizes()
        if !once { Console.note("watching \(zone.arrivals.path) every \(interval) s") }
        repeat {
            try await Task.sleep(for: .seconds(once ? min(interval, 2) : interval))
            let ready = DropZone.settled(try zone.sizes(), previous: previous)
            let receipts = await zone.process(ready, log: { Console.note($0) })
            previous = try zone.sizes()
            if once {
                if json { try JSONOutput.print(receipts) }
                if receipts.contains(where: { $0.status != .applied }) { throw ExitCode.failure }
            }
        } while !once
    }
}
