import BakerySQLite
import Foundation

/// Fresh scratch space for one test: a folder, or a SQLite store in one.
enum Scratch {
    static func folder(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func store(_ prefix: String) throws -> SQLiteStore {
        try SQLiteStore(path: try folder(prefix).appendingPathComponent("bakery.sqlite").path, mode: .createIfMissing)
    }
}
