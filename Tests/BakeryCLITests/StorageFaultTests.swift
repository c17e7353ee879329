import Foundation
import Testing

/// A process killed (SIGKILL) at a spread of moments during a pickup and during a delivery: no object applied twice,
/// no record set half-applied, no marker without its complete data file, and a rerun completes the work.
@Suite("Storage under SIGKILL", .serialized)
struct StorageFaultTests {
    static let delays: [Double] = [0.05, 0.2, 0.4, 0.7, 1.1]
    static let rows = 30_000

    /// Starts `bakery ARGUMENTS`, kills it with SIGKILL after `delay` seconds (if it still runs), and waits.
    static func kill(_ bakery: BakeryRunner, _ arguments: [String], after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = bakery.folder
        process.environment = ProcessInfo.processInfo.environment.merging(["BAKERY_DB": bakery.database]) { $1 }
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

    @Test(arguments: delays)
    func aPickupKilledAtAnyMomentIsAppliedOnceByTheRerun(delay: Double) throws {
        let bakery = try BakeryRunner()
        #expect(try bakery.run(["client", "add", "acme", "--name", "A", "--country", "NL", "--dmp", "piano", "--audience", "A1"]).status == 0)
        let intake = bakery.folder.appendingPathComponent("in")
        let key = "onboard/audience=A1/opt-in/20261130_010000.csv"
        let file = intake.appendingPathComponent(key)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = "email,custom\n" + (0..<Self.rows).map { " User\($0)@Example.NL ,C-\(($0 * 7_919) % 1_000_003)\n" }.joined()
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try bakery.run(["storage", "add", "acme", "intake", "file://\(intake.path)/"]).status == 0)
        let killed = try Self.kill(bakery, ["watch", "--once", "--interval", "0.1"], after: delay)
        let records = try Self.count(bakery, "SELECT count(*) FROM crm_record")
        #expect(records == 0 || records == Self.rows, "all or nothing after the kill (killed: \(killed)): \(records)")
        let rerun = try bakery.run(["watch", "--once", "--interval", "0.1"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try Self.count(bakery, "SELECT count(*) FROM crm_record WHERE active = 1") == Self.rows)
        #expect(try Self.count(bakery, "SELECT count(*) FROM upload WHERE status = 'applied'") == 1, "applied once")
        #expect(try Self.count(bakery, "SELECT count(*) FROM intake_object") == 1)
        #expect(!FileManager.default.fileExists(atPath: file.path), "the plain file is gone after the rerun")
    }

    @Test(arguments: delays)
    func aDeliveryKilledAtAnyMomentNeverLeavesAMarkerWithoutItsDataAndTheRerunDelivers(delay: Double) throws {
        let bakery = try BakeryRunner()
        #expect(try bakery.run(["demo", "--clients", "1", "--records", "40000"]).status == 0)
        let client = try #require((try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]])?.first?["id"] as? String)
        let dmp = try #require((try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]])?.first?["dmp"] as? String)
        let out = bakery.folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(try bakery.run(["storage", "add", client, "delivery", "file://\(out.path)/"]).status == 0)
        let day = ISO8601DateFormatter.day(Date().addingTimeInterval(-86_400))
        _ = try Self.kill(bakery, ["export", client, "--date", day, "--deliver", "--out", "exports"], after: delay)
        let folder = out.appendingPathComponent("exports/\(dmp)")
        try Self.checkMarkerImpliesData(folder, client: client, day: day)
        let rerun = try bakery.run(["export", client, "--date", day, "--deliver", "--out", "exports", "--json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect((try rerun.json() as? [String: Any])?["delivery"] as? String == "delivered")
        try Self.checkMarkerImpliesData(folder, client: client, day: day)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(client)_\(day).done").path))
        let hidden = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasPrefix(".") } ?? []
        #expect(hidden.isEmpty, "no temporary file left: \(hidden)")
    }

    /// When the marker is there, the data file beside it has the SHA-256 the marker names.
    static func checkMarkerImpliesData(_ folder: URL, client: String, day: String) throws {
        let marker = folder.appendingPathComponent("\(client)_\(day).done")
        guard let text = try? String(contentsOf: marker, encoding: .utf8) else { return }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let name = String(parts.last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [folder.appendingPathComponent(name).path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let sum = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").first
        process.waitUntilExit()
        #expect(sum.map(String.init) == String(parts.first ?? ""), "the marker's data file is complete")
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
