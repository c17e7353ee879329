import Foundation

/// Where a client's export for a day lives, and how files appear there: each under a temporary name, synced to
/// disk, then renamed, with the completion marker written last — a reader that waits for the marker never
/// sees a partial file.
public struct ExportFiles: Sendable {
    public let folder: URL
    public let dataName: String
    public let day: Day
    public let client: String

    public init(root: URL, client: String, day: Day, profile: ExportProfile) {
        folder = root.appendingPathComponent(client, isDirectory: true)
        dataName = profile.fileName(client: client, day: day)
        self.day = day
        self.client = client
    }

    public var data: URL { folder.appendingPathComponent(dataName) }
    public var manifest: URL { folder.appendingPathComponent("\(client)_\(day).manifest.json") }
    public var marker: URL { folder.appendingPathComponent("\(client)_\(day).done") }

    /// The temporary name a file is written under before its rename: hidden, so listings skip it.
    func temporary(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
    }

    /// Removes leftovers of a run that was killed, and the previous run's marker: from here until the new
    /// marker, the day reads as not (yet) delivered.
    func prepare() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for url in [data, manifest, marker] {
            try? FileManager.default.removeItem(at: temporary(for: url))
        }
        if FileManager.default.fileExists(atPath: marker.path) { try FileManager.default.removeItem(at: marker) }
    }

    /// Syncs the temporary file and renames it into place.
    static func commit(_ temporary: URL, to final: URL, handle: FileHandle) throws {
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, final.path) == 0 else {
            throw BakeryError.storeFailure(
                "cannot rename \(temporary.path) to \(final.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes small content atomically (temporary name, fsync, rename).
    func writeAtomically(_ content: Data, to url: URL) throws {
        let temporary = temporary(for: url)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else { throw BakeryError.storeFailure("cannot write \(temporary.path)") }
        try handle.write(contentsOf: content)
        try Self.commit(temporary, to: url, handle: handle)
    }

    /// Makes the renames themselves durable.
    func syncFolder() {
        let descriptor = open(folder.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
