import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    /// A driver error as an operator reads it: what failed where, what it means for the data, and what to do.
    static func failure(_ what: String, _ path: String, _ error: DatabaseError) -> BakeryError {
        let sqlite = error.message ?? error.description
        let advice: String
        switch error.resultCode {
        case .SQLITE_FULL:
            advice = "the disk holding it is full; nothing of this operation was stored: free space and run it again"
        case .SQLITE_READONLY:
            advice = "the file or its folder cannot be written (a read-only mount or file?); nothing was changed"
        case .SQLITE_CANTOPEN where !FileManager.default.isWritableFile(atPath: folder(of: path)):
            advice =
                "its folder cannot be written (a read-only mount?), and SQLite must create the -wal and -shm files "
                + "beside it; nothing was changed: mount it writable or copy the file to a writable folder"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            advice = "another process held the database's write lock for longer than the wait; nothing was changed: run it again"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            advice = "the file is damaged; restore it from a backup (sqlite3 PATH '.recover' may save what is left)"
        case .SQLITE_IOERR, .SQLITE_CANTOPEN:
            advice = "the operating system refused a read or write of the file; nothing of this operation was stored"
        default:
            return .storeFailure("\(what) failed in \(path): \(sqlite)")
        }
        return .storeFailure("\(what) failed in \(path): \(advice) (SQLite: \(sqlite))")
    }

    private static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }
}
