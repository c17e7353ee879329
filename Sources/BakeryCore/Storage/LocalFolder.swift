import Foundation

/// A folder on this machine as a file source and destination. A file is put under a hidden temporary name, synced
/// to disk and renamed into place, and the folder is synced, so it appears whole or not at all, also across a crash.
public struct LocalFolder: FileSource, FileDestination {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var uri: String { "file://\(root.path.hasSuffix("/") ? root.path : root.path + "/")" }
    /// A file being copied in grows: wait until its size stops changing.
    public var appearsWhole: Bool { false }

    public func url(of key: String) -> URL { root.appendingPathComponent(key) }

    public func list(under prefix: String) async throws -> [StoredFile] {
        let manager = FileManager.default
        let start = prefix.isEmpty ? root : url(of: prefix)
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: start.path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue,
            let walker = manager.enumerator(
                at: start, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey],
                options: [.skipsHiddenFiles])
        else { throw StorageFailure(.permission, "\(uri)\(prefix): cannot read the folder") }
        var files: [StoredFile] = []
        let base = root.path
        for case let file as URL in walker {
            let values = try file.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey])
            guard values.isRegularFile == true else { continue }
            var key = String(file.standardizedFileURL.path.dropFirst(base.count))
            while key.hasPrefix("/") { key.removeFirst() }
            files.append(StoredFile(key: key, size: values.fileSize ?? 0, modified: values.contentModificationDate))
        }
        return files.sorted { $0.key < $1.key }
    }

    public func fetch(_ key: String, into folder: URL) async throws -> FetchedFile {
        let file = url(of: key)
        guard FileManager.default.isReadableFile(atPath: file.path) else {
            throw StorageFailure(.missingFile, "\(uri)\(key): no readable file there")
        }
        return FetchedFile(url: file, isCopy: false)
    }

    public func put(_ local: URL, as key: String) async throws {
        let target = url(of: key)
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StorageFailure(.permission, "\(uri)\(key): cannot create \(folder.path): \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: temporary)
        do {
            try FileManager.default.copyItem(at: local, to: temporary)
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw StorageFailure(.permission, "\(uri)\(key): cannot write: \(error.localizedDescription)")
        }
        try Self.rename(temporary, to: target, in: self)
    }

    public func read(_ key: String, limit: Int) async throws -> Data? {
        let file = url(of: key)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw StorageFailure(.permission, "\(uri)\(key): cannot read")
        }
        defer { try? handle.close() }
        return try handle.read(upToCount: limit) ?? Data()
    }

    public func move(_ key: String, to newKey: String) async throws {
        let target = url(of: newKey)
        do {
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StorageFailure(.permission, "\(uri)\(newKey): cannot create its folder: \(error.localizedDescription)")
        }
        try Self.rename(url(of: key), to: target, in: self)
    }

    public func remove(_ key: String) async throws {
        let file = url(of: key)
        if unlink(file.path) != 0, errno != ENOENT {
            throw StorageFailure(.permission, "\(uri)\(key): cannot remove: \(String(cString: strerror(errno)))")
        }
        Self.syncFolder(file.deletingLastPathComponent())
    }

    public func restrict(_ key: String) async throws {
        if chmod(url(of: key).path, 0o600) != 0 {
            throw StorageFailure(.permission, "\(uri)\(key): cannot make it private: \(String(cString: strerror(errno)))")
        }
    }

    public func shred(_ key: String) async throws {
        let file = url(of: key)
        let descriptor = open(file.path, O_WRONLY | O_NOFOLLOW)
        if descriptor < 0 {
            if errno == ENOENT { return }
            throw StorageFailure(.permission, "\(uri)\(key): cannot shred: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StorageFailure(.permission, "\(uri)\(key): cannot shred: \(String(cString: strerror(errno)))")
        }
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        var left = Int(status.st_size)
        while left > 0 {
            let written = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress, min(left, zeros.count)) }
            guard written > 0 else {
                throw StorageFailure(.permission, "\(uri)\(key): cannot overwrite: \(String(cString: strerror(errno)))")
            }
            left -= written
        }
        guard fsync(descriptor) == 0 else {
            throw StorageFailure(.permission, "\(uri)\(key): cannot sync the overwrite: \(String(cString: strerror(errno)))")
        }
        try await remove(key)
    }

    /// The folder exists and can be listed; with `writing`, a probe file can be put and removed.
    func check(writing: Bool) async -> [StorageCheck] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
            return [StorageCheck("folder", failure: .missingLocation, message: "\(uri): no folder there")]
        }
        var checks = [StorageCheck("folder", message: "\(uri) exists")]
        do {
            let files = try await list(under: "")
            checks.append(StorageCheck("list", message: "\(files.count) files below it"))
        } catch {
            return checks + [StorageCheck("list", failure: .permission, message: error.localizedDescription)]
        }
        guard writing else { return checks }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: probe) }
        do {
            try Data("bakery storage test\n".utf8).write(to: probe)
            try await put(probe, as: ".bakery-probe")
            try await remove(".bakery-probe")
            checks.append(StorageCheck("write", message: "put and removed a probe file"))
        } catch {
            checks.append(StorageCheck("write", failure: .permission, message: error.localizedDescription))
        }
        return checks
    }

    static func rename(_ from: URL, to target: URL, in folder: LocalFolder) throws {
        guard Foundation.rename(from.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw StorageFailure(
                errno == ENOENT ? .missingFile : .permission, "\(folder.uri): cannot rename \(from.lastPathComponent) "
                    + "to \(target.path): \(reason)")
        }
        syncFolder(target.deletingLastPathComponent())
    }

    /// Makes renames and removals in `folder` durable.
    static func syncFolder(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
