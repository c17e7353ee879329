import Foundation
import Testing

/// A `bakery serve` process on a random loopback port for tests that stop it the hard way (SIGKILL) or watch its
/// log; its standard error goes to a file beside the database.
final class ServeProcess {
    let process = Process()
    let port = Int.random(in: 20_000...50_000)
    let log: URL

    init(_ bakery: BakeryRunner, database: String? = nil, _ arguments: [String] = []) throws {
        log = bakery.folder.appendingPathComponent("serve-\(port).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = try BakeryRunner.executable
        process.arguments =
            ["--db", database ?? bakery.database, "serve", "--port", "\(port)", "--no-scheduler", "--no-storage"]
            + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    deinit { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The HTTP status and body of one GET, or nil when nothing answered.
    func get(_ path: String) -> (status: Int, body: String)? {
        let out = ServeProcess.curl(["-s", "--max-time", "5", "-w", "\n%{http_code}", url(path)])
        guard let cut = out.lastIndex(of: "\n"), let status = Int(out[out.index(after: cut)...]), status > 0 else {
            return nil
        }
        return (status, String(out[..<cut]))
    }

    /// Waits until `/healthz` answers (at most 10 s).
    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if get("/healthz") != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("bakery serve did not answer /healthz on port \(port): \(logText)")
        throw BakeryRunner.RunnerError(description: "bakery serve did not start")
    }

    /// The value of one counter or gauge in `/metrics`, or nil when the server does not answer.
    func metric(_ name: String) -> Double? {
        guard let text = get("/metrics")?.body else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ")[1])
        }
        return nil
    }

    func stop(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    @discardableResult
    static func curl(_ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Sync pixels fired one after another on one keep-alive connection (curl's URL globbing), each with its own
/// cookie id `PREFIX-N`, the answer of each written to a file as it comes: what a DMP's sync traffic looks like
/// to one server connection, and a record of exactly which hits were answered.
final class PixelStream {
    let process = Process()
    let answers: URL
    let prefix: String

    init(_ server: ServeProcess, partner: String, prefix: String, count: Int, folder: URL, cookieLength: Int = 0) throws {
        self.prefix = prefix
        answers = folder.appendingPathComponent("answers-\(prefix).txt")
        FileManager.default.createFile(atPath: answers.path, contents: nil)
        let padding = String(repeating: "x", count: cookieLength)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = [
            // --fail-early: the first pixel nothing answers ends the stream (a killed server), flushing what it wrote.
            "-s", "--fail-early", "-o", "/dev/null", "-w", "%{http_code}\n", "--max-time", "5",
            server.url("/bakery/sync/dmpsyncendpoint?site=nu.nl&partner=\(partner)&read=false&cookieid=\(prefix)\(padding)-[0-\(count - 1)]"),
        ]
        process.standardOutput = try FileHandle(forWritingTo: answers)
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { if process.isRunning { process.terminate() } }

    /// The answers so far, one HTTP status per pixel in the order fired (0 when nothing answered).
    var statuses: [Int] {
        let text = (try? String(contentsOf: answers, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int($0) }
    }

    /// How many pixels were answered 200 before the first that was not.
    var answered: Int { statuses.prefix { $0 == 200 }.count }

    func wait() { process.waitUntilExit() }
}
