import CBakeryZlib
import Crypto
import Foundation

/// Streams bytes through zlib's deflate with a gzip wrapper into a file, hashing the compressed bytes as they
/// are written. The gzip header carries no time or name, so the same rows always give the same file and
/// checksum.
final class GzipWriter {
    private var stream = z_stream()
    private let handle: FileHandle
    private var hasher = SHA256()
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private(set) var bytesWritten = 0
    private var finished = false

    init(handle: FileHandle) throws {
        self.handle = handle
        guard
            deflateInit2_(
                &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else { throw BakeryError.storeFailure("zlib could not start a gzip stream") }
    }

    deinit { if !finished { deflateEnd(&stream) } }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { bytes in try deflate(bytes, flush: Z_NO_FLUSH) }
    }

    /// Ends the gzip stream; returns the SHA-256 (lower-case hex) of the compressed file.
    func finish() throws -> String {
        try deflate(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        deflateEnd(&stream)
        finished = true
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func deflate(_ input: UnsafeBufferPointer<UInt8>, flush: Int32) throws {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = UInt32(input.count)
        repeat {
            let produced = try output.withUnsafeMutableBufferPointer { buffer -> Int in
                stream.next_out = buffer.baseAddress
                stream.avail_out = UInt32(buffer.count)
                let status = CBakeryZlib.deflate(&stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw BakeryError.storeFailure("zlib failed while compressing (status \(status))")
                }
                return buffer.count - Int(stream.avail_out)
            }
            if produced > 0 {
                let chunk = Data(output[0..<produced])
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
                bytesWritten += produced
            }
        } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
    }
}
