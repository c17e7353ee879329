import BakeryCore
import Foundation

/// The file argument of `onboard` and `graph import`, and where its rejection report goes.
enum InputFile {
    /// The file, which must exist, and the report path: `--report`, else beside the file.
    static func resolve(_ file: String, report: String?) throws -> (input: URL, report: URL) {
        let input = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: input.path) else {
            throw BakeryError.invalidInput("no file at \(input.path)")
        }
        return (input, report.map { URL(fileURLWithPath: $0) } ?? OnboardingRequest.reportBeside(input))
    }
}

extension Store {
    /// The one client named, or every client when no id is given.
    func clients(only id: String?) async throws -> [Client] {
        guard let id else { return try await clients() }
        guard let one = try await client(id: id) else { throw BakeryError.unknownClient(id) }
        return [one]
    }
}
