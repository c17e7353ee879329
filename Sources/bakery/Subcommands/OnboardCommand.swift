import ArgumentParser
import BakeryCore
import Foundation

struct OnboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onboard",
        abstract: "Hash and apply a client's CRM file in one transaction: all of it or nothing.",
        discussion: """
            Modes: add (opt-in: new records are added, known ones kept and counted), remove (opt-out: records \
            matching the file's record ids or identifier hashes are removed), replace (the file becomes the whole \
            active record set).
            Rejected rows are listed (row, reason, column, masked value) in FILE.rejections.csv beside the file, \
            or at --report. A progress line is shown on stderr when it is a terminal.
            Example: bakery onboard acme customers.csv.gz --mode add
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The client's id.") var client: String
    @Argument(help: "A CRM file: .csv, .csv.gz or .zip holding one CSV.", completion: .file()) var file: String
    @Option(help: "What the file does to the client's record set.") var mode: UpdateMode = .add
    @Flag(help: "Read, validate and count, then roll back: nothing is stored.") var dryRun = false
    @Option(help: ArgumentHelp("Where to write the rejection report (CSV).", valueName: "path"))
    var report: String?
    @Flag(help: "The summary as one JSON object on stdout.") var json = false

    func run() async throws {
        let (input, reportURL) = try InputFile.resolve(file, report: report)
        let (actor, store) = try database.session()
        let line = ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
        let summary = try await Onboarding(store: store).run(
            OnboardingRequest(
                clientID: client, file: input, mode: mode, source: .cli, actor: actor, dryRun: dryRun,
                report: reportURL),
            progress: { line.show($0) })
        line.clear()
        if json { return try JSONOutput.print(OnboardingJSON(summary)) }
        print(OnboardingJSON(summary).text)
    }
}

extension UpdateMode: ExpressibleByArgument {}

/// One self-overwriting status line on a terminal's stderr, at most five times a second.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var last = ContinuousClock.now - .seconds(1)
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: OnboardingProgress) {
        guard enabled else { return }
        lock.withLock {
            let now = ContinuousClock.now
            guard now - last >= .milliseconds(200) else { return }
            last = now
            shown = true
            let percent = Int((progress.fraction * 100).rounded(.down))
            FileHandle.standardError.write(Data("\r\u{1B}[K\(percent)%  \(Figures.grouped(progress.rows)) rows".utf8))
        }
    }

    func clear() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
