import ArgumentParser
import BakeryCore
import Foundation

struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Connect a client's S3 buckets and SFTP servers: intake (CRM files in) and delivery (exports out).",
        discussion: """
            URL is s3://BUCKET/PREFIX/, sftp://USER@HOST[:PORT]/PATH/ or file:///PATH/. No secret is stored: S3 keys \
            come from $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY, from the variables named with \
            --access-key-variable/--secret-key-variable, or from a 0600 credentials file (--key-file); SFTP uses \
            the private key in --key-file and checks the server against --known-hosts. See docs/storage.md.
            """,
        subcommands: [Add.self, List.self, Show.self, Remove.self, Test.self])
}

extension StorageLocation.Role: ExpressibleByArgument {}

extension StorageCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an intake or delivery location to a client.",
            discussion: """
                Examples:
                  bakery storage add acme intake s3://acme-crm/bakery/ --region eu-west-1
                  bakery storage add acme delivery s3://da-production-transfer-acme/ --region eu-central-1
                  bakery storage add nord intake sftp://bakery@sftp.nord.se:2222/out/ --key-file ~/.ssh/nord
                An SFTP server's host key must be in --known-hosts (default: ~/.ssh/known_hosts); an unknown or \
                changed key is refused.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The client's id.") var client: String
        @Argument(help: "intake (CRM files are picked up) or delivery (exports are put).") var role: StorageLocation.Role
        @Argument(help: "s3://BUCKET/PREFIX/, sftp://USER@HOST[:PORT]/PATH/ or file:///PATH/.") var url: String
        @Option(help: "S3: a server other than AWS, e.g. http://127.0.0.1:9000.") var endpoint: String?
        @Option(help: "S3: the bucket's region (default eu-central-1).") var region: String?
        @Flag(help: "S3: put the bucket in the path, not the host name (most servers other than AWS).")
        var pathStyle = false
        @Option(help: "S3: a credentials file (mode 0600); SFTP: the private key file.", completion: .file())
        var keyFile: String?
        @Option(help: "SFTP: the known-hosts file holding the server's host key.", completion: .file())
        var knownHosts: String?
        @Option(help: "S3: the environment variable holding the access key id.") var accessKeyVariable: String?
        @Option(help: "S3: the environment variable holding the secret access key.") var secretKeyVariable: String?
        @Flag(help: "The stored location as JSON.") var json = false

        func run() async throws {
            let (actor, store) = try database.session()
            let location = StorageLocation(
                clientID: client, role: role, address: try StorageAddress(parsing: url), endpoint: endpoint,
                region: region, pathStyle: pathStyle, keyFile: keyFile.map(Self.absolute),
                knownHosts: knownHosts.map(Self.absolute), accessKeyVariable: accessKeyVariable,
                secretKeyVariable: secretKeyVariable)
            let stored = try await location.add(to: store, by: actor)
            if json { return try JSONOutput.print(StorageJSON(stored)) }
            Console.note("added #\(stored.id ?? 0): \(stored.summary); check it with `bakery storage test \(client)`")
        }

        static func absolute(_ path: String) -> String {
            URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List storage locations (one client's, or all).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A client's id (default: every client).") var client: String?
        @Flag(help: "An array of locations on stdout.") var json = false

        func run() async throws {
            let locations = try await database.session().store.storageLocations(clientID: client)
            if json { return try JSONOutput.print(locations.map(StorageJSON.init)) }
            guard !locations.isEmpty else {
                return Console.note("no storage locations\(client.map { " for \($0)" } ?? ""); add one with `bakery storage add`")
            }
            var table = TextTable(headers: ["ID", "CLIENT", "ROLE", "URL", "ENDPOINT", "REGION", "CREDENTIALS"])
            table.rows = locations.map {
                ["\($0.id ?? 0)", $0.clientID, $0.role.rawValue, $0.address.description, $0.endpoint ?? "-",
                 $0.address.kind == .s3 ? ($0.region ?? StorageAddress.defaultRegion) : "-", Self.credentials($0)]
            }
            print(table.render())
        }

        /// Where the secret comes from, never the secret.
        static func credentials(_ location: StorageLocation) -> String {
            switch location.address.kind {
            case .file: return "-"
            case .sftp: return "key \(location.keyFile ?? "(ssh default)")"
            case .s3:
                if let id = location.accessKeyVariable, let secret = location.secretKeyVariable { return "$\(id), $\(secret)" }
                return location.keyFile.map { "file \($0)" } ?? "$AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY"
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a client's storage locations in full.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The client's id.") var client: String
        @Flag(help: "An array of locations on stdout.") var json = false

        func run() async throws {
            let locations = try await database.session().store.storageLocations(clientID: client)
            if json { return try JSONOutput.print(locations.map(StorageJSON.init)) }
            guard !locations.isEmpty else { return Console.note("\(client) has no storage locations") }
            for location in locations {
                print("#\(location.id ?? 0) \(location.role.rawValue)  \(location.address)")
                if let endpoint = location.endpoint { print("  endpoint     \(endpoint)") }
                if location.address.kind == .s3 {
                    print("  region       \(location.region ?? StorageAddress.defaultRegion)")
                    print("  addressing   \(location.pathStyle ? "path-style" : "virtual-hosted")")
                }
                if location.address.kind != .file { print("  credentials  \(List.credentials(location))") }
                if let knownHosts = location.knownHosts { print("  known hosts  \(knownHosts)") }
                print("  \(location.role == .intake ? "polls        onboard/audience={id}/{opt-in|opt-out|replace}/" : "delivers to  exports/{dmp}/")")
                print("  added        \(ISOTime.string(location.createdAt))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove one of a client's storage locations.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var choice: LocationChoice
        @Flag(help: "The removed location as JSON.") var json = false

        func run() async throws {
            let (actor, store) = try database.session()
            let location = try await choice.one(in: store)
            try await location.remove(from: store, by: actor)
            if json { return try JSONOutput.print(StorageJSON(location)) }
            Console.note("removed #\(location.id ?? 0): \(location.summary); nothing was deleted on the storage itself")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a client's locations can be reached, listed and written.",
            discussion: "Puts and removes a small probe file. Exits 1 when any check fails, saying exactly what failed.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var choice: LocationChoice
        @Flag(help: "Each location's checks as JSON.") var json = false

        func run() async throws {
            let (actor, store) = try database.session()
            let locations = try await choice.all(in: store)
            var results: [StorageTestJSON] = []
            for location in locations {
                let checks = try await location.test(with: StorageConnectors.standard, store: store, by: actor)
                results.append(StorageTestJSON(location: StorageJSON(location), passed: checks.allSatisfy(\.passed), checks: checks))
                if !json {
                    print("#\(location.id ?? 0) \(location.role.rawValue) \(location.address)")
                    for check in checks {
                        print("  \(check.passed ? "ok    " : "FAILED") \(check.step): \(check.message)"
                            + (check.failure.map { " [\($0.rawValue)]" } ?? ""))
                    }
                }
            }
            if json { try JSONOutput.print(results) }
            if results.contains(where: { !$0.passed }) { throw ExitCode.failure }
        }
    }

}

/// Which of a client's locations a command means: all of them, or those `--only` and `--id` pick.
struct LocationChoice: ParsableArguments {
    @Argument(help: "The client's id.") var client: String
    @Option(name: .customLong("only"), help: "Only the intake or the delivery location.") var role: StorageLocation.Role?
    @Option(help: "Only the location with this id (`storage list` shows them).") var id: Int64?

    /// The chosen locations; at least one.
    func all(in store: any Store) async throws -> [StorageLocation] {
        var locations = try await store.storageLocations(clientID: client)
        if let role { locations = locations.filter { $0.role == role } }
        if let id { locations = locations.filter { $0.id == id } }
        guard !locations.isEmpty else { throw BakeryError.invalidInput("\(client) has no such storage location") }
        return locations
    }

    /// The one chosen location.
    func one(in store: any Store) async throws -> StorageLocation {
        let locations = try await all(in: store)
        guard locations.count == 1 else {
            throw BakeryError.invalidInput(
                "\(client) has \(locations.count) such locations (\(locations.map { "#\($0.id ?? 0)" }.joined(separator: ", "))); "
                    + "say which with --only or --id")
        }
        return locations[0]
    }
}
