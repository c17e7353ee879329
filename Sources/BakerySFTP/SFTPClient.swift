import Foundation

/// SFTP through the OpenSSH client: each method runs one `sftp -b` session (two at most, on the
/// failure paths documented below), checks host keys strictly and kills the process past
/// ``SFTPConfiguration/timeout``.
///
/// Every remote path is relative to ``SFTPConfiguration/rootPath``, `/`-separated; absolute paths,
/// `..` components and paths with control characters (newline, NUL, …) are refused with
/// ``SFTPError/Kind/invalidPath``.
public struct SFTPClient: Sendable {
    public let configuration: SFTPConfiguration

    public init(_ configuration: SFTPConfiguration) {
        self.configuration = configuration
    }

    /// Every regular file below `folder` (the root by default), up to `maxDepth` levels deep
    /// (1: only the folder's own files), sorted by path; paths are relative to the root.
    ///
    /// One session for the whole walk: `cd` into the folder, then one globbed `ls -ln` per level.
    /// Names starting with `.` are skipped, and so is everything inside folders so named. sftp's glob
    /// follows symbolic links: a link to a file is listed as a file (with the target's size and time),
    /// a link to a folder is walked into. Names holding a line break cannot be listed and are left out.
    /// Modification times are to the minute or the day (see
    /// ``SFTPFile/TimePrecision``). A missing folder throws ``SFTPError/Kind/noSuchFile``; an empty
    /// one gives `[]`.
    public func list(under folder: String = "", maxDepth: Int = 5) async throws -> [SFTPFile] {
        let session = Session(configuration: configuration, operation: "list")
        let base = try components(folder, session)
        guard (1...64).contains(maxDepth) else {
            throw session.failure(.invalidPath, path: remote(base), "maxDepth \(maxDepth) is not in 1…64")
        }
        var batch = BatchScript()
        batch.add("cd", remote(base))
        for depth in 1...maxDepth {
            batch.addUnquoted("-ls -ln " + Array(repeating: "*", count: depth).joined(separator: "/"))
        }
        let output = try await withScratch(session) { scratch in
            try await session.run(batch, path: remote(base), in: scratch)
        }
        if let line = ErrorClassification.meaningfulLines(output.stderr).first(where: {
            $0.hasPrefix("remote readdir") && $0.hasSuffix("Permission denied")
        }) {
            throw session.failure(.permissionDenied, path: remote(base), line)
        }
        var files: [String: SFTPFile] = [:]
        for entry in ListingParser.entries(in: output.stdout) where entry.isRegularFile {
            let parts = entry.name.split(separator: "/").map(String.init)
            guard !parts.isEmpty, parts.count <= maxDepth,
                !parts.contains(where: { $0.hasPrefix(".") || PathRules.problem(in: $0) != nil })
            else { continue }
            let path = (base + parts).joined(separator: "/")
            files[path] = SFTPFile(path: path, size: entry.size, modified: entry.modified, precision: entry.precision)
        }
        return files.values.sorted { $0.path < $1.path }
    }

    /// Downloads `remotePath` to `localURL`, replacing it: written in a private folder (0700) beside
    /// it, given mode 0600, then renamed into place. The local file keeps the remote modification
    /// time to the second (`get -p`), which ``list(under:maxDepth:)`` cannot give.
    public func download(_ remotePath: String, to localURL: URL) async throws {
        let session = Session(configuration: configuration, operation: "download")
        let parts = try fileComponents(remotePath, session)
        let target = localURL.standardizedFileURL
        if let problem = PathRules.problem(in: target.path) {
            throw session.failure(.invalidPath, path: remote(parts), "local path \(problem)")
        }
        try await withScratch(session, in: target.deletingLastPathComponent()) { scratch in
            let staged = scratch.url.appendingPathComponent("download")
            var batch = BatchScript()
            batch.add("get", remote(parts), staged.path, flags: "-p")
            _ = try await session.run(batch, path: remote(parts), in: scratch)
            guard chmod(staged.path, 0o600) == 0, Foundation.rename(staged.path, target.path) == 0 else {
                throw session.failure(
                    .localFileError, path: remote(parts),
                    "cannot move the download to \(target.path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Uploads `localURL` to `remotePath` atomically: the missing folders are created, the file is
    /// written (and fsynced) under a hidden temporary name in the target folder, then renamed over
    /// the target, which readers therefore see either whole or not at all.
    ///
    /// OpenSSH's `rename` uses the posix-rename extension, which replaces an existing target in one
    /// step. On a server without it (a plain SFTP v3 rename refuses an existing target) a second
    /// session moves the old target aside, renames, and removes the old one (putting it back if the
    /// rename fails): only there is there a moment, between two requests, with no target.
    /// The temporary file is removed when anything fails after the connection was made; its name is
    /// the target's own (`.NAME.bakery-upload.part`), so the next upload of the same file overwrites
    /// what a killed process left. The remote file gets the local file's permission bits.
    public func upload(_ localURL: URL, to remotePath: String) async throws {
        let session = Session(configuration: configuration, operation: "upload")
        let parts = try fileComponents(remotePath, session)
        let source = localURL.standardizedFileURL.path
        if let problem = PathRules.problem(in: source) {
            throw session.failure(.invalidPath, path: remote(parts), "local path \(problem)")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder), !isFolder.boolValue,
            FileManager.default.isReadableFile(atPath: source)
        else {
            throw session.failure(.localFileError, path: remote(parts), "no readable local file at \(source)")
        }
        let temporary = remote(parts.dropLast() + [".\(parts.last!).bakery-upload.part"])
        var batch = BatchScript()
        addMakeFolders(for: Array(parts.dropLast()), to: &batch)
        batch.add("put", source, temporary, flags: "-f")
        batch.add("rename", temporary, remote(parts))
        try await withScratch(session) { scratch in
            try await runReplacing(batch, temporary: temporary, target: remote(parts), session, scratch)
        }
    }

    /// The content of a small remote file, or nil when it does not exist. A file larger than `limit`
    /// bytes throws ``SFTPError/Kind/tooLarge`` (the transfer is stopped once past the limit).
    public func read(_ remotePath: String, limit: Int = 1 << 20) async throws -> Data? {
        let session = Session(configuration: configuration, operation: "read")
        let parts = try fileComponents(remotePath, session)
        guard limit >= 0 else { throw session.failure(.invalidPath, path: remote(parts), "negative limit") }
        return try await withScratch(session) { scratch in
            let staged = scratch.url.appendingPathComponent("read")
            var batch = BatchScript()
            batch.add("get", remote(parts), staged.path)
            let stagedPath = staged.path
            do {
                _ = try await session.run(batch, path: remote(parts), in: scratch) {
                    Self.localSize(stagedPath) > limit
                }
            } catch let error as SFTPError where error.kind == .noSuchFile {
                return nil
            }
            let data: Data
            do { data = try Data(contentsOf: staged) } catch {
                throw session.failure(.localFileError, path: remote(parts), "cannot read the download: \(error)")
            }
            if data.count > limit {
                throw session.failure(.tooLarge, path: remote(parts), "\(data.count) bytes, limit \(limit)")
            }
            return data
        }
    }

    /// Deletes a remote file; one that does not exist counts as deleted. Folders are not removed.
    public func remove(_ remotePath: String) async throws {
        let session = Session(configuration: configuration, operation: "remove")
        let parts = try fileComponents(remotePath, session)
        var batch = BatchScript()
        batch.add("rm", remote(parts))
        do {
            _ = try await withScratch(session) { try await session.run(batch, path: remote(parts), in: $0) }
        } catch let error as SFTPError where error.kind == .noSuchFile {
            return
        }
    }

    /// Makes a remote file readable and writable by its owner only (`chmod 600`).
    public func restrict(_ remotePath: String) async throws {
        let session = Session(configuration: configuration, operation: "chmod")
        let parts = try fileComponents(remotePath, session)
        var batch = BatchScript()
        batch.add("chmod", "600", remote(parts))
        _ = try await withScratch(session) { try await session.run(batch, path: remote(parts), in: $0) }
    }

    /// Renames a remote file or folder, creating the target's missing folders and replacing an
    /// existing target file (as ``upload(_:to:)`` does, with the same fallback).
    public func rename(_ remotePath: String, to newPath: String) async throws {
        let session = Session(configuration: configuration, operation: "rename")
        let from = try fileComponents(remotePath, session)
        let to = try fileComponents(newPath, session)
        var batch = BatchScript()
        addMakeFolders(for: Array(to.dropLast()), to: &batch)
        batch.add("rename", remote(from), remote(to))
        try await withScratch(session) { scratch in
            try await runReplacing(batch, temporary: nil, source: remote(from), target: remote(to), session, scratch)
        }
    }

    /// Creates `folder` and every missing folder above it (below the root); existing ones are fine.
    public func makeDirectories(_ folder: String) async throws {
        let session = Session(configuration: configuration, operation: "mkdir")
        let parts = try components(folder, session)
        var batch = BatchScript()
        addMakeFolders(for: parts, to: &batch)
        // The `-mkdir`s may fail (the folder exists); this shows whether the folder is there now.
        batch.add("cd", remote(parts))
        _ = try await withScratch(session) { try await session.run(batch, path: remote(parts), in: $0) }
    }

    /// Tests the location in one session: connect and authenticate, enter and list the root, write a
    /// small hidden probe file and remove it. Throws an ``SFTPError`` whose operation names the step
    /// that failed ("check: list the root folder", …).
    public func check() async throws {
        let session = Session(configuration: configuration, operation: "check")
        let probe = remote([".bakery-probe-\(UUID().uuidString)"])
        try await withScratch(session) { scratch in
            let local = scratch.url.appendingPathComponent("probe")
            try scratch.write(
                Data("bakery sftp check\n".utf8), to: local, operation: "check", endpoint: configuration.endpoint)
            var batch = BatchScript()
            batch.add("cd", remote([]))
            batch.addUnquoted("ls -ln")
            batch.add("put", local.path, probe)
            batch.add("rm", probe)
            do {
                _ = try await session.run(batch, path: remote([]), in: scratch)
            } catch var error as SFTPError {
                let step: String
                switch error.detail.components(separatedBy: "; at: ").last?.split(separator: " ").first {
                case "cd": step = "enter the root folder"
                case "ls": step = "list the root folder"
                case "put": step = "write a probe file"; error.path = probe
                case "rm": step = "remove the probe file"; error.path = probe
                default: step = "connect"
                }
                error.operation = "check: \(step)"
                throw error
            }
        }
    }

    // MARK: - Helpers

    /// The full remote path of components below the root.
    func remote<C: Collection<String>>(_ components: C) -> String {
        PathRules.join(root: configuration.rootPath, Array(components))
    }

    private func components(_ path: String, _ session: Session) throws -> [String] {
        switch PathRules.components(ofRelative: path) {
        case .success(let parts): return parts
        case .failure(let refused):
            throw session.failure(.invalidPath, path: path, "the path \(refused.reason)")
        }
    }

    /// Components of a path that must name a file or folder below the root, not the root itself.
    private func fileComponents(_ path: String, _ session: Session) throws -> [String] {
        let parts = try components(path, session)
        if parts.isEmpty { throw session.failure(.invalidPath, path: path, "the path names no file") }
        return parts
    }

    /// `-mkdir` for each level of `folder` below the root, top down.
    private func addMakeFolders(for folder: [String], to batch: inout BatchScript) {
        for depth in folder.indices {
            batch.add("mkdir", remote(folder[...depth]), mayFail: true)
        }
    }

    /// Runs a batch ending in `rename SOURCE TARGET`. If only that rename failed with a generic
    /// failure (what a server without posix-rename answers for an existing target), moves the target
    /// aside under a hidden name, renames again, then removes the old target; should that second
    /// rename fail, the old target is put back. When it all fails, removes `temporary` (if any) and
    /// throws the first error.
    private func runReplacing(
        _ batch: BatchScript, temporary: String?, source: String? = nil, target: String, _ session: Session,
        _ scratch: Scratch
    ) async throws {
        let source = source ?? temporary!
        do {
            _ = try await session.run(batch, path: target, in: scratch)
            return
        } catch let error as SFTPError {
            guard Self.reachedServer(error) else { throw error }
            if error.kind == .failed, error.detail.contains("; at: rename") {
                let aside = PathRules.sibling(of: target, named: ".bakery-replaced-\(UUID().uuidString)")
                var retry = BatchScript()
                retry.add("rename", target, aside, flags: "-l")
                retry.add("rename", source, target, flags: "-l")
                retry.add("rm", aside, mayFail: true)
                do {
                    _ = try await session.run(retry, path: target, in: scratch, timeout: cleanupTimeout)
                    return
                } catch let second as SFTPError {
                    if second.detail.contains("; at: rename -l \(BatchScript.quote(source))") {
                        var restore = BatchScript()
                        restore.add("rename", aside, target, flags: "-l")
                        _ = try? await session.run(restore, path: target, in: scratch, timeout: cleanupTimeout)
                    }
                }
            }
            if let temporary {
                var cleanup = BatchScript()
                cleanup.add("rm", temporary, mayFail: true)
                _ = try? await session.run(cleanup, path: temporary, in: scratch, timeout: cleanupTimeout)
            }
            throw error
        }
    }

    /// Whether a failure came after the connection was made (so a temporary file may exist).
    private static func reachedServer(_ error: SFTPError) -> Bool {
        switch error.kind {
        case .failed, .permissionDenied, .noSuchFile, .timedOut, .tooLarge, .localFileError: true
        default: false
        }
    }

    private var cleanupTimeout: TimeInterval { min(configuration.timeout, 60) }

    private func withScratch<T>(
        _ session: Session, in parent: URL? = nil, _ body: (Scratch) async throws -> T
    ) async throws -> T {
        let scratch = try Scratch.make(in: parent, operation: session.operation, endpoint: configuration.endpoint)
        defer { scratch.remove() }
        return try await body(scratch)
    }

    private static func localSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
