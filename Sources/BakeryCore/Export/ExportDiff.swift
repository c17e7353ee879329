import Foundation

/// How a day's delta export differs from the day before's: cookies added, dropped, or kept with other record ids,
/// as counts and a few examples. Computed from the store (nothing is written, no file needs to exist).
///
/// The day before is held as one 16-byte digest per cookie (its id and its record ids hashed), so memory follows the
/// number of cookies of one day, not of pairs or id lengths; the examples of dropped and changed cookies are read in
/// a second pass over that day.
public struct ExportDiff: Sendable, Equatable {
    /// A cookie whose record ids changed.
    public struct Change: Sendable, Equatable {
        public var cookieID: String
        public var before: [String]
        public var after: [String]
    }

    public var client: String
    public var day: Day
    public var previous: Day
    public var cookies: Int
    public var previousCookies: Int
    public var added: Int
    public var dropped: Int
    public var changed: Int
    public var unchanged: Int
    /// The first cookies (by id) of each kind, with their record ids.
    public var sampleAdded: [ExportPair]
    public var sampleDropped: [ExportPair]
    public var sampleChanged: [Change]
}

extension DeltaExport {
    /// Compares the export of `day` with the export of the day before. Needs the `support` role, like a preview.
    public func diff(clientID: String, day: Day, by actor: Operator, sampleSize: Int = 5) async throws -> ExportDiff {
        try await actor.require(.preview, to: "compare the export of \(day)", clientID: clientID, auditingIn: store)
        let previous = day.adding(days: -1)
        let before = CookieDigests()
        try await store.exportPairs(clientID: clientID, day: previous) { before.add($0) }
        before.finish()
        let after = DiffTally(against: before, sampleSize: sampleSize)
        try await store.exportPairs(clientID: clientID, day: day) { after.add($0) }
        after.finish()
        // Second look at the day before, for the examples of dropped and changed cookies.
        let examples = ExampleCollector(dropped: before.firstUnseen(sampleSize), changed: after.changedCookies)
        if !examples.isEmpty {
            try await store.exportPairs(clientID: clientID, day: previous) { examples.add($0) }
        }
        return ExportDiff(
            client: clientID, day: day, previous: previous, cookies: after.cookies, previousCookies: before.count,
            added: after.added, dropped: before.count - after.matched, changed: after.changedCount,
            unchanged: after.matched - after.changedCount, sampleAdded: after.sampleAdded,
            sampleDropped: examples.dropped, sampleChanged: after.changedCookies.map { cookie in
                ExportDiff.Change(
                    cookieID: cookie, before: examples.recordsBefore[cookie] ?? [], after: after.changedRecords[cookie] ?? [])
            })
    }
}

/// Folds pairs (sorted by cookie, then record) into one digest per cookie: a 64-bit hash of the cookie id and one of
/// its record ids. The hashes are seeded per process, which is all a comparison within one run needs.
private struct CookieFold {
    private(set) var cookie: String?
    private var records = Hasher()
    private var ids: [String] = []
    var keepsIDs = false

    /// Adds a pair; returns the finished previous cookie when this pair starts a new one.
    mutating func add(_ pair: ExportPair) -> (cookie: String, digest: Int, ids: [String])? {
        var done: (String, Int, [String])?
        if pair.cookieID != cookie { done = finish() }
        cookie = pair.cookieID
        records.combine(pair.recordID)
        if keepsIDs { ids.append(pair.recordID) }
        return done
    }

    mutating func finish() -> (cookie: String, digest: Int, ids: [String])? {
        guard let cookie else { return nil }
        let result = (cookie, records.finalize(), ids)
        self.cookie = nil
        records = Hasher()
        ids = []
        return result
    }
}

/// The day before: cookie hash → record digest, sorted for binary search, and which were seen again.
private final class CookieDigests: @unchecked Sendable {
    // Unchecked: filled by one reader at a time, strictly in order, then only read.
    private var fold = CookieFold()
    private(set) var keys: [Int] = []
    private(set) var digests: [Int] = []
    private(set) var cookieOrder: [Int] = []
    private var seen: [Bool] = []

    var count: Int { keys.count }

    func add(_ pairs: [ExportPair]) {
        for pair in pairs { if let done = fold.add(pair) { store(done.cookie, done.digest) } }
    }

    func finish() {
        if let done = fold.finish() { store(done.cookie, done.digest) }
        // Sorted by cookie hash for lookups; `cookieOrder` keeps file order for the examples.
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        cookieOrder = keys
        keys = order.map { keys[$0] }
        digests = order.map { digests[$0] }
        seen = Array(repeating: false, count: keys.count)
    }

    private func store(_ cookie: String, _ digest: Int) {
        keys.append(cookie.hashValue)
        digests.append(digest)
    }

    /// The record digest of a cookie of the day before, marking it seen; nil when it was not in that day's export.
    func lookUp(_ cookie: String) -> Int? {
        guard let index = index(of: cookie.hashValue) else { return nil }
        seen[index] = true
        return digests[index]
    }

    private func index(of key: Int) -> Int? {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key ? low : nil
    }

    /// Hashes of the first `limit` cookies (in file order) that were not seen again.
    func firstUnseen(_ limit: Int) -> Set<Int> {
        var unseen = Set<Int>()
        for key in cookieOrder where unseen.count < limit {
            if let index = index(of: key), !seen[index] { unseen.insert(key) }
        }
        return unseen
    }
}

/// The day itself, compared cookie by cookie with the day before.
private final class DiffTally: @unchecked Sendable {
    // Unchecked: fed by one reader at a time, strictly in order, and read after the feed ends.
    private let before: CookieDigests
    private let sampleSize: Int
    private var fold = CookieFold()
    private(set) var cookies = 0
    private(set) var added = 0
    private(set) var matched = 0
    private(set) var changedCount = 0
    private(set) var sampleAdded: [ExportPair] = []
    private(set) var changedCookies: [String] = []
    private(set) var changedRecords: [String: [String]] = [:]

    init(against before: CookieDigests, sampleSize: Int) {
        self.before = before
        self.sampleSize = sampleSize
        fold.keepsIDs = true
    }

    func add(_ pairs: [ExportPair]) {
        for pair in pairs { if let done = fold.add(pair) { compare(done) } }
    }

    func finish() { if let done = fold.finish() { compare(done) } }

    private func compare(_ cookie: (cookie: String, digest: Int, ids: [String])) {
        cookies += 1
        guard let digest = before.lookUp(cookie.cookie) else {
            added += 1
            if sampleAdded.count < sampleSize, let id = cookie.ids.first {
                sampleAdded.append(ExportPair(cookieID: cookie.cookie, recordID: id))
            }
            return
        }
        matched += 1
        guard digest != cookie.digest else { return }
        changedCount += 1
        if changedCookies.count < sampleSize {
            changedCookies.append(cookie.cookie)
            changedRecords[cookie.cookie] = cookie.ids
        }
    }
}

/// The second pass over the day before: the examples' record ids.
private final class ExampleCollector: @unchecked Sendable {
    // Unchecked: fed by one reader at a time, strictly in order, and read after the feed ends.
    private let droppedKeys: Set<Int>
    private let changed: Set<String>
    private(set) var dropped: [ExportPair] = []
    private var droppedCookies = Set<String>()
    private(set) var recordsBefore: [String: [String]] = [:]

    init(dropped: Set<Int>, changed: [String]) {
        droppedKeys = dropped
        self.changed = Set(changed)
    }

    var isEmpty: Bool { droppedKeys.isEmpty && changed.isEmpty }

    func add(_ pairs: [ExportPair]) {
        for pair in pairs {
            if changed.contains(pair.cookieID) { recordsBefore[pair.cookieID, default: []].append(pair.recordID) }
            if droppedKeys.contains(pair.cookieID.hashValue), droppedCookies.insert(pair.cookieID).inserted {
                dropped.append(pair)
            }
        }
    }
}
