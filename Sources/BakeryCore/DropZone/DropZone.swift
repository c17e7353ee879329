import Foundation

/// A place CRM files are dropped into — a local folder, an S3 prefix, an SFTP folder (any ``FileSource``) — and what
/// Bakery does with them.
///
/// ```
/// onboard/audience={id}/{opt-in|opt-out|replace}/YYYYMMDD_HHmmss.csv[.gz|.zip]   arrivals
/// processed/audience={id}/{mode}/NAME.receipt.json (+ NAME if it held only hashes, + NAME.rejections.csv)
/// failed/…/NAME, NAME.receipt.json (+ NAME.rejections.csv)                          for an operator
/// ```
/// A failed file is kept private to its owner for a while and then shredded: see ``FailedFileRule``.
/// Files are applied oldest timestamp first. Where files grow while they are written (a local or SFTP folder), a file
/// whose version changed since the previous look waits for the next poll. Hidden files (`.name`) are ignored:
/// uploaders write under such names and rename when done. A failing file is moved aside and never blocks the ones
/// behind it.
///
/// Each version of each file is applied exactly once: the upload's transaction records it (``IntakeKey``), so a file
/// found again after a crash between the commit and its removal is only removed (or moved), never applied twice.
public struct DropZone: Sendable {
    public let source: any FileSource
    public let onboarding: Onboarding
    /// Who applies the files: the audit log names them (needs the `ops` role).
    public let actor: Operator
    /// Threads that normalise rows.
    public var workers: Int
    /// The client whose location this is: a file naming another client's audience is refused. Nil for a drop zone
    /// shared by every client (`bakery watch DIR`).
    public var owner: String?

    public init(
        source: any FileSource, store: any Store, actor: Operator, owner: String? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.source = source
        self.owner = owner
        self.onboarding = Onboarding(store: store)
        self.actor = actor
        self.workers = workers
    }

    /// A drop zone in a local folder.
    public init(
        root: URL, store: any Store, actor: Operator, workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.init(source: LocalFolder(root: root), store: store, actor: actor, workers: workers)
    }

    /// The local folder, when the drop zone is one.
    public var root: URL? { (source as? LocalFolder)?.root }

    /// The visible files below `onboard/`, by key.
    public func waiting() async throws -> [String: StoredFile] {
        Dictionary(try await source.list(under: "onboard/").map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The keys of `current` whose value is the same as at the previous look: not being written any more.
    public static func settled<Value: Equatable>(_ current: [String: Value], previous: [String: Value]) -> [String] {
        current.filter { previous[$0.key] == $0.value }.map(\.key)
    }

    /// The files ready to apply now, given the previous look: all of them where files appear whole.
    public func ready(_ current: [String: StoredFile], previous: [String: StoredFile]) -> [StoredFile] {
        let keys = source.appearsWhole ? Array(current.keys) : Self.settled(current, previous: previous)
        return keys.compactMap { current[$0] }
    }

    /// Applies the given files: malformed paths are reported first, then uploads in timestamp order. Returns one
    /// receipt per file; `log` gets one line per file, without personal data.
    /// - Parameter progress: each upload's progress, as ``Onboarding/run(_:progress:)`` reports it.
    public func process(
        _ files: [StoredFile], log: @Sendable (String) -> Void = { _ in },
        progress: @escaping @Sendable (OnboardingProgress) -> Void = { _ in }
    ) async -> [DropZoneReceipt] {
        var receipts: [DropZoneReceipt] = []
        var uploads: [(DropZoneFile, StoredFile)] = []
        for stored in files.sorted(by: { $0.key < $1.key }) {
            switch DropZoneFile.parse(relativePath: stored.key) {
            case .success(let file): uploads.append((file, stored))
            case .failure(let problem):
                log("\(source.uri)\(stored.key): malformed drop-zone path: \(problem.message)")
                var receipt = DropZoneReceipt(file: stored.key, status: .malformed, disposition: .failed)
                receipt.error = problem.message
                receipts.append(await moveAside(receipt, report: nil, log: log))
            }
        }
        uploads.sort { ($0.0.timestamp, $0.0.relativePath) < ($1.0.timestamp, $1.0.relativePath) }
        for (file, stored) in uploads {
            receipts.append(await apply(file, stored: stored, log: log, progress: progress).receipt)
        }
        return receipts
    }

    /// Applies one drop-zone file as ``process(_:log:progress:)`` does (the console's way to run one now): deleted or
    /// moved to `processed/` when applied, moved to `failed/` when not. Returns its receipt, and the upload's summary
    /// when it ran.
    /// - Parameters:
    ///   - stored: the file as listed; nil looks it up.
    ///   - measuresMatches: count the client's matched records before and after (see ``OnboardingRequest``).
    public func apply(
        _ file: DropZoneFile, stored: StoredFile? = nil, measuresMatches: Bool = false,
        log: @Sendable (String) -> Void = { _ in }, progress: @escaping @Sendable (OnboardingProgress) -> Void = { _ in }
    ) async -> (receipt: DropZoneReceipt, summary: OnboardingSummary?) {
        var receipt = DropZoneReceipt(file: file.relativePath, status: .failed, disposition: .kept)
        receipt.audience = file.audience
        receipt.mode = file.mode
        let scratch: URL
        do {
            scratch = try Self.privateFolder()
        } catch {
            receipt.error = "cannot create a private temporary folder: \(error.localizedDescription)"
            log("\(source.uri)\(file.relativePath): not applied, left in onboard/: \(receipt.error!)")
            return (receipt, nil)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent(URL(fileURLWithPath: file.relativePath).lastPathComponent + ".rejections.csv")
        var intake: IntakeKey?
        do {
            let stored = try await listed(stored, file)
            let key = IntakeKey(location: source.uri, key: stored.key, version: stored.version)
            intake = key
            guard let client = try await onboarding.store.client(audience: file.audience) else {
                throw BakeryError.invalidInput(
                    "no client has audience id '\(file.audience)'; set it with `bakery client add … --audience \(file.audience)`"
                )
            }
            if let owner, client.id != owner {
                throw BakeryError.invalidInput(
                    "audience '\(file.audience)' is client \(client.id)'s, and this location is \(owner)'s; nothing applied")
            }
            let fetched = try await source.fetch(file.relativePath, into: scratch)
            defer { fetched.discard() }
            if let uploadID = try await onboarding.store.intakeUpload(key) {
                // Applied before a crash (or by another watcher) and not yet removed: finish the removal only.
                let hashedOnly = try CRMFilePreview.read(fetched.url, clientID: client.id, country: client.country, rows: 1)
                    .isHashedOnly
                receipt = DropZoneReceipt(file: file.relativePath, status: .applied, disposition: hashedOnly ? .processed : .deleted)
                receipt.audience = file.audience
                receipt.client = client.id
                receipt.mode = file.mode
                receipt.uploadID = uploadID
                try await dispose(file, receipt: receipt, report: nil)
                log("\(source.uri)\(file.relativePath): applied before as upload #\(uploadID); file \(receipt.disposition.rawValue)")
                return (receipt, nil)
            }
            let summary = try await onboarding.run(
                OnboardingRequest(
                    clientID: client.id, file: fetched.url, mode: file.mode, source: .dropZone, actor: actor,
                    measuresMatches: measuresMatches, report: report, workers: workers, intake: key),
                progress: progress)
            receipt = DropZoneReceipt(
                file: file.relativePath, status: .applied, disposition: summary.hashedOnly ? .processed : .deleted)
            receipt.audience = file.audience
            receipt.fill(from: summary)
            try await dispose(file, receipt: receipt, report: report)
            log(
                "\(source.uri)\(file.relativePath): \(file.mode.rawValue) for \(client.id): \(summary.rows) rows, "
                    + "\(summary.accepted) accepted, \(summary.rejectedTotal) rejected, records "
                    + "\(summary.recordsBefore) -> \(summary.recordsAfter); file \(receipt.disposition.rawValue)")
            return (receipt, summary)
        } catch {
            let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            if let intake, (try? await onboarding.store.intakeUpload(intake)) != nil {
                // Another watcher applied it meanwhile: its own pass removes it.
                log("\(source.uri)\(file.relativePath): applied by another watcher meanwhile")
                receipt.status = .applied
                return (receipt, nil)
            }
            if Self.isNotTheFilesFault(error) {
                log("\(source.uri)\(file.relativePath): not applied, left in onboard/: \(message)")
                receipt.error = error is CancellationError ? "cancelled" : message
                return (receipt, nil)
            }
            log("\(source.uri)\(file.relativePath): failed: \(message)")
            receipt.disposition = .failed
            receipt.error = message
            let kept = FileManager.default.fileExists(atPath: report.path) ? report : nil
            return (await moveAside(receipt, report: kept, log: log), nil)
        }
    }

    /// A cancellation, a refused role or a storage that cannot be reached says nothing about the file: it stays for
    /// the next try.
    static func isNotTheFilesFault(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if case BakeryError.notPermitted = error { return true }
        if error is StorageFailure { return true }
        return false
    }

    /// The file as the source lists it now.
    private func listed(_ stored: StoredFile?, _ file: DropZoneFile) async throws -> StoredFile {
        if let stored { return stored }
        let folder = String(file.relativePath[..<(file.relativePath.lastIndex(of: "/") ?? file.relativePath.endIndex)])
        guard let found = try await source.list(under: folder + "/").first(where: { $0.key == file.relativePath }) else {
            throw StorageFailure(.missingFile, "\(source.uri)\(file.relativePath): the file is gone")
        }
        return found
    }

    /// Removes an applied file, or moves it to `processed/` when it held only hashes, with its receipt and report.
    private func dispose(_ file: DropZoneFile, receipt: DropZoneReceipt, report: URL?) async throws {
        let target = try await freeKey(for: file.relativePath, under: "processed/")
        var receipt = receipt
        if let report, FileManager.default.fileExists(atPath: report.path) {
            try await source.put(report, as: target + ".rejections.csv")
            receipt.report = Self.name(of: target) + ".rejections.csv"
        }
        try await putReceipt(receipt, as: target + ".receipt.json")
        if receipt.disposition == .processed {
            try await source.move(file.relativePath, to: target)
        } else {
            try await source.remove(file.relativePath)
        }
    }

    /// Moves a file (and its report) to `failed/` and leaves a receipt there.
    private func moveAside(_ receipt: DropZoneReceipt, report: URL?, log: @Sendable (String) -> Void) async
        -> DropZoneReceipt
    {
        var receipt = receipt
        let target: String
        do {
            target = try await freeKey(for: receipt.file, under: "failed/")
            if let report {
                try await source.put(report, as: target + ".rejections.csv")
                receipt.report = Self.name(of: target) + ".rejections.csv"
            }
            try await putReceipt(receipt, as: target + ".receipt.json")
            try await source.move(receipt.file, to: target)
        } catch {
            log("\(source.uri)\(receipt.file): could not move it to failed/: \(error.localizedDescription)")
            return receipt
        }
        do {
            try await source.restrict(target)
        } catch {
            log("\(source.uri)\(target): could not make it private: \(error.localizedDescription)")
        }
        return receipt
    }

    func putReceipt(_ receipt: DropZoneReceipt, as key: String) async throws {
        let folder = try Self.privateFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let local = folder.appendingPathComponent("receipt.json")
        try receipt.write(to: local)
        try await source.put(local, as: key)
    }

    /// The key below `prefix` for an arrival: its path below `onboard/`, with `-2`, `-3`, … before the name's first dot
    /// when a file, receipt or report of that name is there already.
    private func freeKey(for relativePath: String, under prefix: String) async throws -> String {
        let wanted = prefix + Self.below(relativePath)
        let folder = String(wanted[..<(wanted.lastIndex(of: "/") ?? wanted.startIndex)])
        let taken = Set(try await source.list(under: folder + "/").map(\.key))
        return folder + "/" + Self.freeName(Self.name(of: wanted), taken: { taken.contains(folder + "/" + $0) })
    }

    static func name(of key: String) -> String { String(key[(key.lastIndex(of: "/").map { key.index(after: $0) } ?? key.startIndex)...]) }

    /// The part of a path below `onboard/`.
    static func below(_ relativePath: String) -> String {
        relativePath.hasPrefix("onboard/") ? String(relativePath.dropFirst(8)) : relativePath
    }

    /// `name`, or `name` with `-2`, `-3`, … before its first dot, whichever has no file, receipt or report yet.
    static func freeName(_ name: String, taken exists: (String) -> Bool) -> String {
        func taken(_ candidate: String) -> Bool {
            [candidate, candidate + ".receipt.json", candidate + ".rejections.csv"].contains(where: exists)
        }
        guard taken(name) else { return name }
        let dot = name.firstIndex(of: ".") ?? name.endIndex
        var number = 2
        while taken(name[..<dot] + "-\(number)" + name[dot...]) { number += 1 }
        return name[..<dot] + "-\(number)" + name[dot...]
    }

    /// A new folder only this user can read, for a fetched copy and its report.
    static func privateFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-intake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }
}
