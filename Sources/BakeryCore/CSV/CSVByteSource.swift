import CBakeryZlib
import Foundation
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The container formats an uploaded CSV may come in, chosen by the file name's ending.
public enum CSVContainer: String, Sendable, CaseIterable {
    /// `.csv` (also `.txt`): plain UTF-8 text.
    case plain
    /// `.csv.gz` / `.gz`: gzip, possibly several concatenated members.
    case gzip
    /// `.zip` holding exactly one `.csv` file (macOS `__MACOSX/` metadata is ignored).
    case zip

    /// The container for `url`, or an error naming the accepted endings.
    public static func of(_ url: URL) throws -> CSVContainer {
        let name = url.lastPathComponent.lowercased()
        if name.hasSuffix(".zip") { return .zip }
        if name.hasSuffix(".gz") { return .gzip }
        if name.hasSuffix(".csv") || name.hasSuffix(".txt") { return .plain }
        throw BakeryError.invalidInput(
            "\(url.path): unsupported file type; accepted are .csv, .csv.gz and .zip (with one .csv inside)")
    }
}

/// Streams the CSV bytes of a file in bounded chunks, decompressing on the way, so no input
/// is ever held whole in memory.
enum CSVByteSource {
    /// Receives each chunk of CSV bytes with the fraction of the input consumed so far (0...1),
    /// measured on the file as stored (compressed bytes for gzip, the entry's size for zip).
    typealias ChunkHandler = (UnsafeRawBufferPointer, _ fractionRead: Double) throws -> Void

    static func forEachChunk(
        of url: URL, container: CSVContainer, chunkBytes: Int, _ body: ChunkHandler
    ) throws {
        switch container {
        case .plain: try readPlain(url, chunkBytes: chunkBytes, body)
        case .gzip: try readGzip(url, chunkBytes: chunkBytes, body)
        case .zip: try readZip(url, chunkBytes: chunkBytes, body)
        }
    }

    private static func readPlain(_ url: URL, chunkBytes: Int, _ body: ChunkHandler) throws {
        try withFile(url) { fd, size in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
            defer { buffer.deallocate() }
            var consumed = 0
            while true {
                let count = read(fd, buffer.baseAddress, chunkBytes)
                if count < 0 { throw readError(url) }
                if count == 0 { return }
                consumed += count
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), fraction(consumed, of: size))
            }
        }
    }

    private static func readGzip(_ url: URL, chunkBytes: Int, _ body: ChunkHandler) throws {
        try withFile(url) { fd, size in
            let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkBytes)
            let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkBytes)
            defer {
                input.deallocate()
                output.deallocate()
            }
            var stream = z_stream()
            // 15 window bits + 16: gzip framing only, so a raw zlib or plain file is refused.
            guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw BakeryError.invalidInput("\(url.path): could not start gzip decompression")
            }
            defer { inflateEnd(&stream) }
            var sawInput = false
            var memberEnded = false
            var consumed = 0
            while true {
                let count = read(fd, input, chunkBytes)
                if count < 0 { throw readError(url) }
                if count == 0 { break }
                sawInput = true
                consumed += count
                stream.next_in = input
                stream.avail_in = UInt32(count)
                while stream.avail_in > 0 {
                    if memberEnded {
                        // Concatenated gzip members (as `cat a.gz b.gz` makes) form one stream.
                        inflateReset(&stream)
                        memberEnded = false
                    }
                    stream.next_out = output
                    stream.avail_out = UInt32(chunkBytes)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw BakeryError.invalidInput(
                            "\(url.path): corrupt gzip data after \(stream.total_in) compressed bytes; re-create the file"
                        )
                    }
                    let produced = chunkBytes - Int(stream.avail_out)
                    if produced > 0 {
                        try body(UnsafeRawBufferPointer(start: output, count: produced), fraction(consumed, of: size))
                    }
                    if status == Z_STREAM_END { memberEnded = true }
                    if status == Z_BUF_ERROR, produced == 0 { break }
                }
            }
            if sawInput, !memberEnded {
                // Drain what zlib still holds, then insist the stream really ended.
                while true {
                    stream.next_out = output
                    stream.avail_out = UInt32(chunkBytes)
                    let status = inflate(&stream, Z_FINISH)
                    let produced = chunkBytes - Int(stream.avail_out)
                    if produced > 0 { try body(UnsafeRawBufferPointer(start: output, count: produced), 1) }
                    if status == Z_STREAM_END { break }
                    if produced == 0 {
                        throw BakeryError.invalidInput("\(url.path): the gzip data is truncated; re-create the file")
                    }
                }
            }
        }
    }

    private static func readZip(_ url: URL, chunkBytes: Int, _ body: ChunkHandler) throws {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw BakeryError.invalidInput("\(url.path): not a readable zip archive (\(error))")
        }
        let files = archive.filter { entry in
            entry.type == .file && !entry.path.hasPrefix("__MACOSX/") && !entry.path.hasSuffix(".DS_Store")
        }
        guard files.count == 1, let entry = files.first else {
            throw BakeryError.invalidInput(
                "\(url.path): a .zip upload must hold exactly one .csv file; it holds \(files.count) files")
        }
        guard entry.path.lowercased().hasSuffix(".csv") else {
            throw BakeryError.invalidInput("\(url.path): the file inside the .zip (\(entry.path)) is not a .csv")
        }
        // Errors from `body` (a refused header, a cancellation) must pass through unchanged, while
        // anything ZIPFoundation throws means a damaged archive; so body errors are kept aside.
        var bodyError: (any Error)?
        var produced = 0
        do {
            // ZIPFoundation inflates the entry in `bufferSize` pieces: nothing is held whole.
            _ = try archive.extract(entry, bufferSize: chunkBytes, skipCRC32: false) { data in
                do {
                    produced += data.count
                    let done = fraction(produced, of: Int(clamping: entry.uncompressedSize))
                    try data.withUnsafeBytes { try body($0, done) }
                } catch {
                    bodyError = error
                    throw error
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            throw BakeryError.invalidInput("\(url.path): the .zip is damaged (\(error)); re-create the file")
        }
    }

    /// Opens `url` for reading and passes the descriptor and the file's size.
    private static func withFile<T>(_ url: URL, _ body: (Int32, Int) throws -> T) throws -> T {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw BakeryError.invalidInput("\(url.path): cannot open (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        return try body(fd, size)
    }

    private static func fraction(_ done: Int, of total: Int) -> Double {
        total > 0 ? min(1, Double(done) / Double(total)) : 0
    }

    private static func readError(_ url: URL) -> BakeryError {
        BakeryError.invalidInput("\(url.path): read failed (\(String(cString: strerror(errno))))")
    }
}
