import Foundation

/// Reads a settings or theme file: a regular file of at most ``limit`` bytes of UTF-8. Anything else — a device,
/// a FIFO, a runaway file, binary — is refused with a reason instead of being read whole into memory.
enum SmallTextFile {
    /// Far above any real settings or theme file (a few KiB), far below what could hurt a shared machine.
    static let limit = 1 << 20

    struct Refused: Error { var reason: String }

    static func read(_ path: String, limit: Int = SmallTextFile.limit) throws(Refused) -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw Refused(reason: "cannot be read: \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw Refused(reason: "is not a regular file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Refused(reason: "cannot be read: permission denied") }
        defer { try? handle.close() }
        // One byte past the limit: a file that grew after the size was read is still caught.
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw Refused(reason: "cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= limit else {
            throw Refused(reason: "is larger than \(limit / 1_024) KiB, more than any settings or theme file needs")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw Refused(reason: "is not UTF-8 text") }
        return text
    }
}
