import Foundation
import Testing

/// Runs the built `bakery` executable the way an operator or a script would.
struct BakeryRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as JSON.
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var executable: URL {
        get throws {
            let url = packageRoot.appendingPathComponent(".build/debug/bakery")
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw RunnerError(description: "no bakery binary at \(url.path): run `swift build --build-tests` first")
            }
            return url
        }
    }

    struct RunnerError: Error, CustomStringConvertible { var description: String }

    /// A scratch folder the commands run in, with its own database path.
    let folder: URL
    var database: String { folder.appendingPathComponent("bakery.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Runs `bakery ARGUMENTS` with `BAKERY_DB` pointing at this runner's database unless `environment` says otherwise.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = try BakeryRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["BAKERY_DB"] = database
        env["BAKERY_OPERATOR"] = "tester"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and stall the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
