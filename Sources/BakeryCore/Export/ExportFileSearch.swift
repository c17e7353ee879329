import Foundation

/// Looks one DMP cookie up in a written delta file: which record ids the file pairs it with. The file is streamed
/// (decompressed a chunk at a time), so a file of millions of rows costs a fraction of a second and no memory.
///
/// Lines are matched on the exact text Bakery's ``ExportProfile`` writes for the cookie, so quoting and JSON escaping
/// are those of the writer.
public enum ExportFileSearch {
    /// The record ids paired with `cookieID` in `file`, in file order; empty when the cookie is not in it.
    /// - Throws: ``BakeryError/invalidInput(_:)`` when the file cannot be read.
    public static func recordIDs(of cookieID: String, in file: URL, profile: ExportProfile) throws -> [String] {
        let prefix = Array(profile.linePrefix(cookieID: cookieID).utf8)
        var found: [String] = []
        var line: [UInt8] = []
        func finish() {
            defer { line.removeAll(keepingCapacity: true) }
            guard line.count > prefix.count, line.starts(with: prefix) else { return }
            let text = String(decoding: line, as: UTF8.self)
            if let id = profile.recordID(inLine: text, afterPrefix: String(decoding: line[prefix.count...], as: UTF8.self)) {
                found.append(id)
            }
        }
        try CSVByteSource.forEachChunk(of: file, container: .gzip, chunkBytes: 1 << 16) { chunk, _ in
            // A lineage nobody waits for any more stops reading.
            if Task.isCancelled { throw CancellationError() }
            for byte in chunk {
                if byte == UInt8(ascii: "\n") { finish() } else { line.append(byte) }
            }
        }
        finish()
        return found
    }
}

extension ExportProfile {
    /// The start of every line this profile writes for `cookieID`, up to and including the separator.
    func linePrefix(cookieID: String) -> String {
        switch layout {
        case .csv: "\(Self.csvField(cookieID, delimiter))\(delimiter)"
        case .ndjson: "{\"\(cookieField)\":\(Self.jsonString(cookieID)),"
        }
    }

    /// The record id of one line this profile wrote (without its newline); `rest` is what follows the cookie's
    /// ``linePrefix(cookieID:)``.
    func recordID(inLine line: String, afterPrefix rest: String) -> String? {
        switch layout {
        case .csv:
            // The writer quotes a field only when it must, doubling its quotes (see `csvField`).
            guard rest.hasPrefix("\"") else { return rest.contains(delimiter) ? nil : rest }
            guard rest.count >= 2, rest.hasSuffix("\"") else { return nil }
            return String(rest.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        case .ndjson:
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return object[recordField] as? String
        }
    }
}
