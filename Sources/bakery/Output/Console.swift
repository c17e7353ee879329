import Foundation

/// Where the CLI writes: documents to stdout, messages and progress to stderr.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("bakery: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
