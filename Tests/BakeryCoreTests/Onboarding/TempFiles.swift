import CBakeryZlib
import Foundation
import ZIPFoundation

/// A scratch folder per test, with writers for the plain, gzip and zip fixtures; nothing binary
/// is committed.
struct TempFiles {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func plain(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func plain(_ name: String, _ text: String) throws -> URL { try plain(name, Array(text.utf8)) }

    /// Gzip through the system zlib, written as `members` concatenated gzip members.
    func gzip(_ name: String, _ text: String, members: Int = 1) throws -> URL {
        let url = directory.appendingPathComponent(name)
        let bytes = Array(text.utf8)
        let pieces = stride(from: 0, to: bytes.count, by: max(1, (bytes.count + members - 1) / members)).map {
            Array(bytes[$0..<min(bytes.count, $0 + max(1, (bytes.count + members - 1) / members))])
        }
        var first = true
        for piece in pieces {
            guard let file = gzopen(url.path, first ? "wb" : "ab") else { throw CocoaError(.fileWriteUnknown) }
            first = false
            _ = piece.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            gzclose(file)
        }
        return url
    }

    /// A zip holding `entries` (name → text), deflated, through ZIPFoundation.
    func zip(_ name: String, _ entries: [(String, String)]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (entryName, text) in entries {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: entryName, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }
}
