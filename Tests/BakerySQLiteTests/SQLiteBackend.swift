import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation

/// SQLite stores in fresh temporary folders.
struct SQLiteBackend: StoreBackend {
    func makeStore() async throws -> any Store {
        try SQLiteStore(path: TemporaryFolder.make().appendingPathComponent("bakery.sqlite").path, mode: .createIfMissing)
    }

    func reopen(_ store: any Store) async throws -> any Store {
        try SQLiteStore(path: (store as! SQLiteStore).path, mode: .existing)
    }
}

enum TemporaryFolder {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
