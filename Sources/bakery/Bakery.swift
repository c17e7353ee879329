import ArgumentParser
import BakeryCore
import Foundation

/// The root command. Subcommands live in `Subcommands/`, one file each.
struct Bakery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bakery",
        abstract: "Match DMP cookies to CRM records: sync endpoint, onboarding, matching and nightly exports.",
        discussion: """
            Every command works on one database: --db PATH, else $BAKERY_DB, else ./bakery.sqlite.
            Add --json to a command for one JSON document on stdout (messages go to stderr).
            Exit codes: 0 success, 1 the operation failed, 2 bad usage.
            """,
        subcommands: [
            ConsoleSubcommand.self, ClientCommand.self, OnboardCommand.self, GraphCommand.self, WatchCommand.self,
            DemoCommand.self, StatsCommand.self, ExportCommand.self, ServeCommand.self, SyncCommand.self, AuditCommand.self,
            StorageCommand.self, DeliverCommand.self, PurgeCommand.self, EraseCommand.self,
        ],
        defaultSubcommand: ConsoleSubcommand.self
    )
}

@main
enum Main {
    static func main() async {
        do {
            var command = try Bakery.parseAsRoot(GlobalArguments.reordered(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(code(for: error))
        }
    }

    /// Prints the error the way its reader needs it and returns the exit code of the CLI contract.
    static func code(for error: any Error) -> Int32 {
        if let failure = error as? BakeryError {
            Console.error(failure.localizedDescription)
            return 1
        }
        if let failure = error as? StorageFailure {
            Console.error(failure.message)
            return 1
        }
        if let exit = error as? ExitCode { return exit.rawValue }
        let exitCode = Bakery.exitCode(for: error)
        if exitCode == .success {
            // --help and --version.
            print(Bakery.fullMessage(for: error))
            return 0
        }
        if error is ValidationError || exitCode == .validationFailure {
            let message = Bakery.message(for: error)
            Console.error(message.isEmpty ? "bad usage" : message)
            Console.error("See 'bakery --help' or 'bakery <command> --help'.")
            return 2
        }
        Console.error(Bakery.message(for: error))
        return 1
    }
}
