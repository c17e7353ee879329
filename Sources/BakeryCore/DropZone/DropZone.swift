import Foundation

/// The folder nightly jobs drop CRM files into, and what Bakery does with them.
///
/// ```
/// ROOT/onboard/audience={id}/{opt-in|opt-out|replace}/YYYYMMDD_HHmmss.csv[.gz|.zip]   arrivals
/// ROOT/processed/audience={id}/{mode}/NAME.receipt.json (+ NAME if it held only hashes, + NAME.rejections.csv)
/// ROOT/failed/…/NAME, NAME.receipt.json (+ NAME.rejections.csv)                          for an operator
/// ```
/// Files are applied oldest timestamp first. A file whose size changed since the previous look is still being
/// written and waits for the next poll. Hidden files (`.name`) are ignored: uploaders write under such names and
/// rename when done. A failing file is moved aside and never blocks the ones behind it.
public struct DropZone: Sendable {
    public let root: URL
    public let onboarding: Onboarding
    /// Who applies the files: the audit log names them (needs the `ops` role).
    public let actor: Operator
    /// Threads that normalise rows.
    public var workers: Int

    public init(
        root: URL, store: any Store, actor: Operator, workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.root = root
        self.onboarding = Onboarding(store: store)
        self.actor = actor
        self.workers = workers
    }

    public var arrivals: URL { root.appendingPathComponent("onboard") }
    public var processed: URL { root.appendingPathComponent("processed") }
    public var failed: URL { root.appendingPathComponent("failed") }

    /// The visible regular files below `onboard/`, by path relative to the root, with their sizes.
    public func sizes() throws -> [String: Int] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: arrivals.path) else { return [:] }
        guard
            let walker = manager.enumerator(
                at: arrivals, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
                options: [.skipsHiddenFiles])
        else {
            throw BakeryError.storeFailure("cannot read the drop zone folder \(arrivals.path)")
        }
        var result: [String: Int] = [:]
        let prefix = root.standardizedFileURL.path
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values.isRegularFile == true else { continue }
            var relative = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            while relative.hasPrefix("/") { relative.removeFirst() }
            result[relative] = values.fileSize ?? 0
        }
        return result
    }

    /// The files of `current` whose size is the same as at the previous look: not being written any more.
    public static func settled(_ current: [String: Int], previous: [String: Int]) -> [String] {
        current.filter { previous[$0.key] == $0.value }.map(\.key)
    }

    /// Applies the given files (paths relative to the root): malformed paths are reported first, then uploads in
    /// timestamp order. Returns one receipt per file; `log` gets one line per file, without personal data.
    /// - Parameter progress: each upload's progress, as ``Onboarding/run(_:progress:)`` reports it.
    public func process(
        _ relativePaths: [String], log: @Sendable (String) -> Void = { _ in },
        progress: @escaping @Sendable (OnboardingProgress) -> Void = { _ in }
    ) async
        -> [DropZoneReceipt]
    {
        var receipts: [DropZoneReceipt] = []
        var uploads: [DropZoneFile] = []
        for path in relativePaths.sorted() {
            switch DropZoneFile.parse(relativePath: path) {
            case .success(let file): uploads.append(file)
            case .failure(let problem):
                log("\(path): malformed drop-zone path: \(problem.message)")
                receipts.append(moveAside(path, status: .malformed, error: problem.message, report: nil, log: log))
            }
        }
        uploads.sort { ($0.timestamp, $0.relativePath) < ($1.timestamp, $1.relativePath) }
        for file in uploads { receipts.append(await apply(file, log: log, progress: progress).receipt) }
        return receipts
    }

    /// Applies one drop-zone file as ``process(_:log:progress:)`` does (the console's way to run one now): moved to
    /// `processed/` or deleted when applied, to `failed/` when not. Returns its receipt, and the upload's summary when
    /// it ran.
    /// - Parameter measuresMatches: count the client's matched records before and after (see ``OnboardingRequest``).
    public func apply(
        _ file: DropZoneFile, measuresMatches: Bool = false, log: @Sendable (String) -> Void = { _ in },
        progress: @escaping @Sendable (OnboardingProgress) -> Void = { _ in }
    ) async -> (receipt: DropZoneReceipt, summary: OnboardingSummary?) {
        let source = root.appendingPathComponent(file.relativePath)
        let folder = processed.appendingPathComponent(Self.below(file.relativePath)).deletingLastPathComponent()
        let name = Self.freeName(source.lastPathComponent, in: folder)
        let report = folder.appendingPathComponent(name + ".rejections.csv")
        do {
            guard let client = try await onboarding.store.client(audience: file.audience) else {
                throw BakeryError.invalidInput(
                    "no client has audience id '\(file.audience)'; set it with `bakery client add … --audience \(file.audience)`"
                )
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let summary = try await onboarding.run(
                OnboardingRequest(
                    clientID: client.id, file: source, mode: file.mode, source: .dropZone, actor: actor,
                    measuresMatches: measuresMatches, report: report, workers: workers), progress: progress)
            var receipt = DropZoneReceipt(
                file: file.relativePath, status: .applied, disposition: summary.hashedOnly ? .processed : .deleted)
            receipt.audience = file.audience
            receipt.fill(from: summary)
            receipt.report = report.lastPathComponent
            if summary.hashedOnly {
                try FileManager.default.moveItem(at: source, to: folder.appendingPathComponent(name))
            } else {
                try FileManager.default.removeItem(at: source)
            }
            try receipt.write(to: folder.appendingPathComponent(name + ".receipt.json"))
            log(
                "\(file.relativePath): \(file.mode.rawValue) for \(client.id): \(summary.rows) rows, "
                    + "\(summary.accepted) accepted, \(summary.rejectedTotal) rejected, records "
                    + "\(summary.recordsBefore) -> \(summary.recordsAfter); file \(receipt.disposition.rawValue)")
            return (receipt, summary)
        } catch {
            let message = (error as? BakeryError)?.localizedDescription ?? "\(error)"
            if Self.isNotTheFilesFault(error) {
                log("\(file.relativePath): not applied, left in onboard/: \(message)")
                var receipt = DropZoneReceipt(file: file.relativePath, status: .failed, disposition: .kept)
                receipt.audience = file.audience
                receipt.mode = file.mode
                receipt.error = error is CancellationError ? "cancelled" : message
                return (receipt, nil)
            }
            log("\(file.relativePath): failed: \(message)")
            let kept = FileManager.default.fileExists(atPath: report.path) ? report : nil
            var receipt = moveAside(file.relativePath, status: .failed, error: message, report: kept, log: log)
            receipt.audience = file.audience
            receipt.mode = file.mode
            return (receipt, nil)
        }
    }

    /// A cancellation or a refused role says nothing about the file: it stays for the next try.
    static func isNotTheFilesFault(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if case BakeryError.notPermitted = error { return true }
        return false
    }

    /// Moves a file (and its report) to `failed/` and leaves a receipt there.
    private func moveAside(
        _ relativePath: String, status: DropZoneReceipt.Status, error: String, report: URL?,
        log: @Sendable (String) -> Void
    ) -> DropZoneReceipt {
        var receipt = DropZoneReceipt(file: relativePath, status: status, disposition: .failed)
        receipt.error = error
        let destination = failed.appendingPathComponent(Self.below(relativePath))
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = Self.freeName(destination.lastPathComponent, in: folder)
            try FileManager.default.moveItem(
                at: root.appendingPathComponent(relativePath), to: folder.appendingPathComponent(name))
            if let report {
                try FileManager.default.moveItem(
                    at: report, to: folder.appendingPathComponent(name + ".rejections.csv"))
                receipt.report = name + ".rejections.csv"
            }
            try receipt.write(to: folder.appendingPathComponent(name + ".receipt.json"))
        } catch {
            log("\(relativePath): could not move it to \(folder.path): \(error.localizedDescription)")
        }
        return receipt
    }

    /// The part of a path below `onboard/`.
    static func below(_ relativePath: String) -> String {
        relativePath.hasPrefix("onboard/") ? String(relativePath.dropFirst(8)) : relativePath
    }

    /// `name`, or `name` with `-2`, `-3`, … before its first dot, whichever has no file, receipt or report yet.
    static func freeName(_ name: String, in folder: URL) -> String {
        func taken(_ candidate: String) -> Bool {
            [candidate, candidate + ".receipt.json", candidate + ".rejections.csv"].contains {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
            }
        }
        guard taken(name) else { return name }
        let dot = name.firstIndex(of: ".") ?? name.endIndex
        var number = 2
        while taken(name[..<dot] + "-\(number)" + name[dot...]) { number += 1 }
        return name[..<dot] + "-\(number)" + name[dot...]
    }
}
