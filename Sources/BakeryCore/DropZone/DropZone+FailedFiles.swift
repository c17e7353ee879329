import Foundation

/// The rule for files the drop zone could not apply (see docs/privacy.md, "Failed drop-zone files"): a failed file
/// may hold the plain e-mails and phones it arrived with, so it is made private to its owner where the location has
/// file modes, kept in `failed/` for ``FailedFileRule/lifetime`` so that an operator can fix and resubmit it, then
/// shredded. Its receipt and its rejection report hold only figures and masked values; they stay, and the receipt
/// says when the file went (`"disposition": "shredded"`).
public struct FailedFileRule: Sendable, Equatable {
    /// How long a failed file stays in `failed/` after it failed.
    public var lifetime: TimeInterval

    public init(lifetime: TimeInterval = FailedFileRule.defaultLifetime) {
        self.lifetime = lifetime
    }

    /// Three days: a file that failed on a Friday night is still there on Monday morning.
    public static let defaultLifetime: TimeInterval = 72 * 3600
    /// The longest lifetime an operator may configure (30 days).
    public static let longestLifetime: TimeInterval = 30 * 24 * 3600

    /// A lifetime in hours from the command line, checked.
    public init(hours: Double) throws {
        guard hours.isFinite, hours >= 0, hours * 3600 <= Self.longestLifetime else {
            throw BakeryError.invalidInput(
                "the time a failed file is kept must be between 0 and \(Int(Self.longestLifetime / 3600)) hours, not \(hours)")
        }
        self.init(lifetime: hours * 3600)
    }
}

extension DropZone {
    /// Shreds the files in `failed/` that failed longer ago than `rule` allows, and marks their receipts. A file
    /// without a readable receipt is aged by its modification time. Returns the keys shredded; `log` gets one line
    /// per file (its key, never its content), and a file that cannot be shredded now is logged and tried again at the
    /// next sweep.
    public func sweepFailed(
        _ rule: FailedFileRule, now: Date = Date(), log: @Sendable (String) -> Void = { _ in }
    ) async -> [String] {
        let listed: [StoredFile]
        do {
            listed = try await source.list(under: "failed/")
        } catch {
            log("\(source.uri)failed/: cannot look at it: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            return []
        }
        let keys = Set(listed.map(\.key))
        var shredded: [String] = []
        for file in listed where !Self.isSidecar(file.key) {
            var receipt = keys.contains(file.key + ".receipt.json") ? await readReceipt(file.key + ".receipt.json") : nil
            let failedAt = receipt.flatMap { ISOTime.parse($0.at) } ?? file.modified ?? now
            guard now.timeIntervalSince(failedAt) >= rule.lifetime else { continue }
            do {
                try await source.shred(file.key)
                if var marked = receipt {
                    marked.disposition = .shredded
                    marked.shreddedAt = ISOTime.string(now)
                    receipt = marked
                    try await putReceipt(marked, as: file.key + ".receipt.json")
                }
                shredded.append(file.key)
                log("\(source.uri)\(file.key): kept \(Self.hours(rule.lifetime)) after it failed; shredded")
            } catch {
                log("\(source.uri)\(file.key): cannot shred it now: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
        return shredded
    }

    /// A receipt or a rejection report: what stays.
    static func isSidecar(_ key: String) -> Bool {
        key.hasSuffix(".receipt.json") || key.hasSuffix(".rejections.csv")
    }

    private func readReceipt(_ key: String) async -> DropZoneReceipt? {
        guard let folder = try? Self.privateFolder() else { return nil }
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let fetched = try? await source.fetch(key, into: folder) else { return nil }
        defer { fetched.discard() }
        guard let data = try? Data(contentsOf: fetched.url), data.count <= 1 << 20 else { return nil }
        return try? JSONDecoder().decode(DropZoneReceipt.self, from: data)
    }

    static func hours(_ interval: TimeInterval) -> String {
        let hours = interval / 3600
        return hours == hours.rounded() ? "\(Int(hours)) h" : String(format: "%.2f h", hours)
    }
}
