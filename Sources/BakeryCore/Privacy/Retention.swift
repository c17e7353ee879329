import Foundation

/// Retention for every front end (`bakery purge`, the nightly purge in `bakery serve`): checks the role, removes the
/// local export files past their days, then the store's rows past theirs, audited (``Store/purge(_:)``).
public struct Retention: Sendable {
    public let store: any Store
    public let policy: RetentionPolicy
    /// The local export root (`ROOT/{client}/{client}_{day}.…`); nil leaves export files alone.
    public let exportRoot: URL?

    public init(store: any Store, policy: RetentionPolicy, exportRoot: URL?) {
        self.store = store
        self.policy = policy
        self.exportRoot = exportRoot
    }

    /// Purges what is older than the policy keeps as of `now`'s UTC day. Needs the `export` permission (`ops`).
    public func run(by actor: Operator, now: Date = Date()) async throws -> PurgeReport {
        try policy.validate()
        try await actor.require(.export, to: "purge data past its retention", auditingIn: store)
        let cutoffs = policy.cutoffs(today: Day(now))
        let files = try exportRoot.map { try Self.removeExportFiles(in: $0, before: cutoffs.exportDay) } ?? [:]
        var report = try await store.purge(PurgeRequest(cutoffs: cutoffs, actor: actor, at: now, exportFiles: files))
        report.exportFiles = files
        return report
    }

    /// Removes every file `{client}_{YYYY-MM-DD}.…` (data file, manifest, marker, a killed run's hidden leftover) of
    /// a day before `day` from each client folder below `root`. Returns the count per client folder.
    public static func removeExportFiles(in root: URL, before day: Day) throws -> [String: Int] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else { return [:] }
        var removed: [String: Int] = [:]
        for client in try manager.contentsOfDirectory(atPath: root.path) where !client.hasPrefix(".") {
            let folder = root.appendingPathComponent(client, isDirectory: true)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            for name in try manager.contentsOfDirectory(atPath: folder.path) {
                guard let fileDay = exportDay(of: name, client: client), fileDay < day else { continue }
                do {
                    try manager.removeItem(at: folder.appendingPathComponent(name))
                } catch {
                    throw BakeryError.storeFailure(
                        "cannot remove the old export file \(folder.appendingPathComponent(name).path): "
                            + error.localizedDescription)
                }
                removed[client, default: 0] += 1
            }
        }
        return removed
    }

    /// The day of an export file of `client` from its name (`client_2026-11-29.csv.gz`, `.client_….partial`), or nil
    /// for any other file, which is never touched.
    static func exportDay(of name: String, client: String) -> Day? {
        var rest = Substring(name)
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        guard rest.hasPrefix(client + "_") else { return nil }
        let date = rest.dropFirst(client.count + 1).prefix(10)
        guard date.count == 10, rest.dropFirst(client.count + 11).first == "." else { return nil }
        return Day(iso: String(date))
    }
}
