import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a local file could not be used; the client turns it into ``S3Error/localFile(path:reason:_:)``.
struct LocalFileFailure: Error, Sendable {
    var path: String
    var reason: String

    static func errno(_ path: String, _ action: String, _ code: Int32 = currentErrno()) -> LocalFileFailure {
        LocalFileFailure(path: path, reason: "\(action): \(String(cString: strerror(code)))")
    }
}

/// The calling thread's `errno`.
func currentErrno() -> Int32 { errno }

/// A regular file opened read-only, read by offset (`pread`), so one open file can feed any byte range.
/// Closed when the last reference goes away. `pread` does not move a shared offset, so concurrent reads are safe.
final class ReadableFile: @unchecked Sendable {
    let path: String
    let size: Int64
    private let descriptor: Int32

    /// Opens `url` for reading; fails on a missing, unreadable or non-regular file.
    init(_ url: URL) throws(LocalFileFailure) {
        guard url.isFileURL else { throw LocalFileFailure(path: url.absoluteString, reason: "not a file URL") }
        path = url.path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .errno(path, "cannot open for reading") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let failure = LocalFileFailure.errno(path, "cannot stat")
            close(descriptor)
            throw failure
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw LocalFileFailure(path: path, reason: "not a regular file")
        }
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int64, count: Int) throws(LocalFileFailure) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var failure: Int32 = 0
        while buffer.readableBytes < count {
            let have = buffer.readableBytes
            let wanted = count - have
            let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { raw -> Int in
                let n = pread(descriptor, raw.baseAddress, wanted, off_t(offset) + off_t(have))
                if n < 0 { failure = errno; return 0 }
                return n
            }
            if failure == EINTR { failure = 0; continue }
            if failure != 0 { throw .errno(path, "cannot read", failure) }
            if got == 0 { break }
        }
        return buffer
    }
}

/// The bytes `offset ..< offset + length` of a file as a sequence of buffers, for a streamed request body.
/// Each iteration reads the file again, so a retried request sends the same bytes without holding them in memory.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let file: ReadableFile
    let offset: Int64
    let length: Int64
    let chunkSize: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(file: file, position: offset, end: offset + length, chunkSize: chunkSize)
    }

    struct Iterator: AsyncIteratorProtocol {
        let file: ReadableFile
        var position: Int64
        let end: Int64
        let chunkSize: Int

        mutating func next() async throws -> ByteBuffer? {
            guard position < end else { return nil }
            let count = Int(Swift.min(Int64(chunkSize), end - position))
            let buffer = try file.read(at: position, count: count)
            guard buffer.readableBytes == count else {
                throw LocalFileFailure(path: file.path, reason: "the file got shorter while it was being sent")
            }
            position += Int64(count)
            return buffer
        }
    }
}

/// A new file written in place of `destination` only when complete: bytes go to a hidden sibling created with
/// mode 0600, which ``commit()`` renames over the destination; ``discard()`` (or a failure) removes it.
final class PartialFile {
    let destination: String
    let temporary: String
    private var descriptor: Int32
    private(set) var written: Int64 = 0

    init(destination url: URL) throws(LocalFileFailure) {
        guard url.isFileURL else { throw LocalFileFailure(path: url.absoluteString, reason: "not a file URL") }
        destination = url.path
        let directory = url.deletingLastPathComponent().path
        temporary = directory + "/." + url.lastPathComponent + ".partial-" + UUID().uuidString
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .errno(destination, "cannot create a file in \(directory)") }
        _ = fchmod(descriptor, 0o600)
    }

    deinit { discard() }

    /// Appends all of `buffer`.
    func write(_ buffer: ByteBuffer) throws(LocalFileFailure) {
        var failure: Int32 = 0
        buffer.withUnsafeReadableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glue.write(descriptor, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if failure != 0 { throw .errno(destination, "cannot write", failure) }
        written += Int64(buffer.readableBytes)
    }

    /// Flushes, closes and moves the file into place.
    func commit() throws(LocalFileFailure) {
        guard descriptor >= 0 else { throw LocalFileFailure(path: destination, reason: "already closed") }
        if fsync(descriptor) != 0 { throw .errno(destination, "cannot flush") }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, destination) == 0 else {
            let failure = LocalFileFailure.errno(destination, "cannot move the download into place")
            unlink(temporary)
            throw failure
        }
    }

    /// Closes and removes the partial file; nothing is left behind.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }
}

/// `write(2)` under a name that does not clash with the methods above.
private enum Glue {
    static func write(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        return Darwin.write(fd, pointer, count)
        #elseif canImport(Musl)
        return Musl.write(fd, pointer, count)
        #else
        return Glibc.write(fd, pointer, count)
        #endif
    }
}
