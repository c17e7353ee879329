import BakeryCore
import BakeryStorage
import BakeryTestPeers
import BakeryTesting
import Crypto
import Foundation
import Testing

/// `bakery watch` and `bakery export --deliver` killed (SIGKILL) at a spread of moments during a pickup and during a
/// delivery, on a local folder, the real S3 server and the real SFTP server: no object applied twice, no record set
/// half-applied, no marker without its complete data file at the location, and a rerun completes the work.
@Suite("Storage under SIGKILL", .serialized)
struct StorageFaultTests {
    enum Kind: String, Sendable { case local, s3, sftp }

    /// When to kill: a share of the time the same operation takes whole on the same kind of location, measured in the
    /// same run (a local delivery takes a tenth of a second, an SFTP pickup seconds).
    struct Moment: Sendable, CustomTestStringConvertible {
        var kind: Kind
        var share: Double
        var testDescription: String { "\(kind.rawValue) at \(Int(share * 100)) %" }
    }

    static let moments: [Moment] = [Kind.local, .s3, .sftp].flatMap { kind in
        [0.05, 0.25, 0.45, 0.65, 0.85].map { Moment(kind: kind, share: $0) }
    }
    static let rows = 30_000

    /// How long each operation took whole, per kind: measured once, by the first case that needs it.
    final class Durations: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds: [String: Double] = [:]

        func of(_ name: String, measure: () async throws -> Double) async rethrows -> Double {
            if let known = lock.withLock({ seconds[name] }) { return known }
            let measured = try await measure()
            lock.withLock { seconds[name] = measured }
            return measured
        }
    }

    static let durations = Durations()

    /// Runs `bakery ARGUMENTS` whole and returns how long it took.
    static func time(_ bakery: BakeryRunner, _ arguments: [String], environment: [String: String]) throws -> Double {
        let started = Date()
        let result = try bakery.run(arguments, environment: environment)
        guard result.status == 0 else { throw BakeryRunner.RunnerError(description: result.stderr) }
        return Date().timeIntervalSince(started)
    }

    /// A location of `kind` for `role`, as the test reaches it and as `bakery storage add` is told it.
    struct Place {
        var location: StorageLocation
        var connector: StandardStorageConnector
        /// For `bakery`: the variables its S3 keys are read from.
        var environment: [String: String]

        init(_ kind: Kind, _ role: StorageLocation.Role, in folder: URL) async throws {
            switch kind {
            case .local:
                let path = folder.appendingPathComponent(role.rawValue).path
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                location = StorageLocation(clientID: "-", role: role, address: try StorageAddress(parsing: "file://\(path)/"))
                environment = [:]
            case .s3:
                // Intake keys hold `audience=`, which moto's signature check mishandles: the open server takes them.
                let server = try TestPeers.S3(open: role == .intake)
                location = try await server.location(role, prefix: "")
                environment = server.environment
            case .sftp:
                location = try TestPeers.SFTP().location(role)
                environment = [:]
            }
            connector = StandardStorageConnector(environment: environment)
        }

        /// `storage add CLIENT ROLE` and what follows it.
        func add(_ client: String) -> [String] {
            var arguments = ["storage", "add", client, location.role.rawValue, location.address.description]
            if let endpoint = location.endpoint { arguments += ["--endpoint", endpoint] }
            if let region = location.region { arguments += ["--region", region] }
            if location.pathStyle { arguments.append("--path-style") }
            if let variable = location.accessKeyVariable { arguments += ["--access-key-variable", variable] }
            if let variable = location.secretKeyVariable { arguments += ["--secret-key-variable", variable] }
            if let keyFile = location.keyFile { arguments += ["--key-file", keyFile] }
            if let knownHosts = location.knownHosts { arguments += ["--known-hosts", knownHosts] }
            return arguments
        }
    }

    /// Starts `bakery ARGUMENTS`, kills it with SIGKILL after `delay` seconds (if it still runs), and waits.
    static func kill(
        _ bakery: BakeryRunner, _ arguments: [String], after delay: Double, environment: [String: String]
    ) throws -> Bool {
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = bakery.folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .merging(["BAKERY_DB": bakery.database]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(delay * 1_000_000))
        let killed = process.isRunning
        if killed { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }

    static func count(_ bakery: BakeryRunner, _ sql: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [bakery.database, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// A client whose intake location of `kind` holds one CRM file of ``rows`` rows.
    static func pickup(_ kind: Kind) async throws -> (BakeryRunner, Place, any FileSource) {
        let bakery = try BakeryRunner()
        let client = ["client", "add", "acme", "--name", "A", "--country", "NL", "--dmp", "piano", "--audience", "A1"]
        guard try bakery.run(client).status == 0 else { throw BakeryRunner.RunnerError(description: "client add") }
        let place = try await Place(kind, .intake, in: bakery.folder)
        let source = try place.connector.source(for: place.location)
        let text = "email,custom\n" + (0..<rows).map { " User\($0)@Example.NL ,C-\(($0 * 7_919) % 1_000_003)\n" }.joined()
        try await StorageFlows.drop(text, as: "onboard/audience=A1/opt-in/20261130_010000.csv", into: source)
        let added = try bakery.run(place.add("acme"), environment: place.environment)
        guard added.status == 0 else { throw BakeryRunner.RunnerError(description: added.stderr) }
        return (bakery, place, source)
    }

    static let watch = ["watch", "--once", "--interval", "0.1"]

    @Test(arguments: moments)
    func aPickupKilledAtAnyMomentIsAppliedOnceByTheRerun(moment: Moment) async throws {
        let whole = try await Self.durations.of("pickup \(moment.kind)") {
            let (bakery, place, _) = try await Self.pickup(moment.kind)
            return try Self.time(bakery, Self.watch, environment: place.environment)
        }
        let (bakery, place, source) = try await Self.pickup(moment.kind)
        let killed = try Self.kill(bakery, Self.watch, after: whole * moment.share, environment: place.environment)
        let records = try Self.count(bakery, "SELECT count(*) FROM crm_record")
        #expect(records == 0 || records == Self.rows, "all or nothing after the kill (killed: \(killed)): \(records)")
        let rerun = try bakery.run(Self.watch, environment: place.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try Self.count(bakery, "SELECT count(*) FROM crm_record WHERE active = 1") == Self.rows)
        #expect(try Self.count(bakery, "SELECT count(*) FROM upload WHERE status = 'applied'") == 1, "applied once")
        #expect(try Self.count(bakery, "SELECT count(*) FROM intake_object") == 1)
        let waiting = try await source.list(under: "onboard/").map(\.key)
        #expect(waiting.isEmpty, "the plain file is gone after the rerun (killed: \(killed)): \(waiting)")
    }

    /// A database with one demo client, built once and copied for each delivery case.
    static let template: Result<URL, any Error> = Result {
        let bakery = try BakeryRunner()
        let built = try bakery.run(["demo", "--clients", "1", "--records", "40000"])
        guard built.status == 0 else { throw BakeryRunner.RunnerError(description: built.stderr) }
        return URL(fileURLWithPath: bakery.database)
    }

    /// The demo client, its export of yesterday and a delivery location of `kind`.
    static func delivery(_ kind: Kind) async throws -> (BakeryRunner, Place, export: [String], name: String) {
        let bakery = try BakeryRunner()
        try FileManager.default.copyItem(at: try template.get(), to: URL(fileURLWithPath: bakery.database))
        let clients = try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]]
        guard let client = clients?.first?["id"] as? String, let dmp = clients?.first?["dmp"] as? String else {
            throw BakeryRunner.RunnerError(description: "no demo client")
        }
        let place = try await Place(kind, .delivery, in: bakery.folder)
        let added = try bakery.run(place.add(client), environment: place.environment)
        guard added.status == 0 else { throw BakeryRunner.RunnerError(description: added.stderr) }
        let day = ISO8601DateFormatter.day(Date().addingTimeInterval(-86_400))
        return (bakery, place, ["export", client, "--date", day, "--deliver", "--out", "exports"], "exports/\(dmp)/\(client)_\(day)")
    }

    @Test(arguments: moments)
    func aDeliveryKilledAtAnyMomentNeverLeavesAMarkerWithoutItsDataAndTheRerunDelivers(moment: Moment) async throws {
        let whole = try await Self.durations.of("delivery \(moment.kind)") {
            let (bakery, place, export, _) = try await Self.delivery(moment.kind)
            return try Self.time(bakery, export, environment: place.environment)
        }
        let (bakery, place, export, name) = try await Self.delivery(moment.kind)
        let destination = try place.connector.destination(for: place.location)
        let killed = try Self.kill(bakery, export, after: whole * moment.share, environment: place.environment)
        try await Self.checkMarkerImpliesData(destination, name: name, killed: killed)
        let rerun = try bakery.run(export + ["--json"], environment: place.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect((try rerun.json() as? [String: Any])?["delivery"] as? String == "delivered")
        #expect(try await destination.read(name + ".done", limit: 4096) != nil, "the marker is there after the rerun")
        try await Self.checkMarkerImpliesData(destination, name: name, killed: killed)
        if moment.kind != .s3 {
            // Both serve a folder on this machine (an S3 upload that was cut off is never an object).
            let folder = URL(fileURLWithPath: place.location.address.path + name).deletingLastPathComponent()
            let hidden = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasPrefix(".") } ?? []
            #expect(hidden.isEmpty, "no temporary file left: \(hidden)")
        }
    }

    /// When the marker is at the location, the data file beside it is there whole: it has the SHA-256 the marker names.
    static func checkMarkerImpliesData(_ destination: any FileDestination, name: String, killed: Bool) async throws {
        guard let marker = try await destination.read(name + ".done", limit: 4096) else { return }
        let parts = String(decoding: marker, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: true)
        let file = String(parts.last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = name[..<(name.lastIndex(of: "/") ?? name.startIndex)]
        let data = try await destination.read("\(folder)/\(file)", limit: 1 << 28)
        let sum = data.map { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() }
        #expect(sum == String(parts.first ?? ""), "the marker's data file is complete (killed: \(killed))")
    }
}

extension ISO8601DateFormatter {
    /// `YYYY-MM-DD` of `date` in UTC.
    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
