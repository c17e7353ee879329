import Foundation

/// The order of SQL's BINARY collation (and PostgreSQL's "C"), the order a store hands clients over in: by the
/// strings' UTF-8 bytes.
func bytewisePrecedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

/// What one client's share of a day pass feeds: a data file being written, or a preview's tally.
protocol ExportConsumer: AnyObject {
    /// What a finished consumer gives: the written files, the preview.
    associatedtype Outcome
    /// The next chunk of the client's pairs, in export order.
    func write(_ pairs: [ExportPair]) throws
    /// The client's pairs have all arrived.
    func finish() throws -> Outcome
    /// The pass stopped before the client's pairs ended: undo what is half done.
    func abandon()
}

/// Spreads one pass over a day's pairs of several clients (``Store/exportPairs(clientIDs:day:body:)``, sorted by
/// client id) across one consumer per client, each made and finished in client-id order, so that one is open at a
/// time. A client with no pairs still gets its consumer, made and finished empty. A consumer that fails fails only
/// its own client: the pass goes on for the others.
final class ExportDayPass<Consumer: ExportConsumer>: @unchecked Sendable {
    // Unchecked: fed from the store's reader thread, one call at a time and in order; read after the pass.
    /// The clients in the store's order (`bytewisePrecedes`).
    let clientIDs: [String]
    private let make: (String) throws -> Consumer
    private let progress: (Int) -> Void
    /// Each client's outcome, once it is settled; every client's once `run` returned.
    private(set) var results: [String: Result<Consumer.Outcome, any Error>] = [:]
    private var next = 0
    private var currentID: String?
    private var consumer: Consumer?
    private var rows = 0

    /// - Parameter progress: the pairs handed over so far, after each chunk.
    init(
        clientIDs: some Sequence<String>, progress: @escaping (Int) -> Void = { _ in },
        make: @escaping (String) throws -> Consumer
    ) {
        self.clientIDs = Set(clientIDs).sorted(by: bytewisePrecedes)
        self.make = make
        self.progress = progress
    }

    /// Makes the pass over `store`'s pairs of the day and settles every client.
    func run(_ store: any Store, day: Day) async {
        do {
            try await store.exportPairs(clientIDs: clientIDs, day: day) { try self.add($0, $1) }
            end()
        } catch {
            fail(error)
        }
    }

    /// The store's body: the next chunk of `clientID`'s pairs.
    private func add(_ clientID: String, _ pairs: [ExportPair]) throws {
        try Task.checkCancellation()
        if clientID != currentID { start(clientID) }
        if let consumer, let currentID {
            do {
                try consumer.write(pairs)
            } catch {
                consumer.abandon()
                results[currentID] = .failure(error)
                self.consumer = nil
            }
        }
        rows += pairs.count
        progress(rows)
    }

    /// The store's pass ended: finishes the last client and those after it, which had no pairs.
    private func end() { start(nil) }

    /// The store's pass failed: the open client is abandoned and every client not settled yet fails with `error`.
    private func fail(_ error: any Error) {
        consumer?.abandon()
        consumer = nil
        currentID = nil
        for id in clientIDs where results[id] == nil { results[id] = .failure(error) }
    }

    /// Finishes the open client and every client before `clientID` (which had no pairs), then opens `clientID`;
    /// with nil, finishes every client left.
    private func start(_ clientID: String?) {
        finishCurrent()
        while next < clientIDs.count, clientID.map({ bytewisePrecedes(clientIDs[next], $0) }) ?? true {
            open(clientIDs[next])
            finishCurrent()
        }
        if let clientID, next < clientIDs.count, clientIDs[next] == clientID { open(clientID) }
    }

    private func open(_ id: String) {
        next += 1
        currentID = id
        do {
            consumer = try make(id)
        } catch {
            results[id] = .failure(error)
        }
    }

    private func finishCurrent() {
        defer {
            consumer = nil
            currentID = nil
        }
        guard let id = currentID, let consumer else { return }
        do {
            results[id] = .success(try consumer.finish())
        } catch {
            consumer.abandon()
            results[id] = .failure(error)
        }
    }
}

/// One client's files of a day while a pass writes them: the gzip data file under its temporary name, then the
/// data file, the manifest and the completion marker (see ``ExportFiles`` for how they appear).
final class ExportDayFile: ExportConsumer {
    let client: Client
    let files: ExportFiles
    private let profile: ExportProfile
    private let temporary: URL
    private let handle: FileHandle
    private let sink: ExportSink
    private let now: () -> Date

    /// The finished files.
    struct Written {
        var rows: Int
        var sha256: String
        var bytes: Int
        var data: URL
    }

    init(client: Client, day: Day, root: URL, now: @escaping () -> Date) throws {
        self.client = client
        self.now = now
        profile = ExportProfile.forKind(client.dmp)
        files = ExportFiles(root: root, client: client.id, day: day, profile: profile)
        try files.prepare()
        temporary = files.temporary(for: files.data)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else { throw BakeryError.storeFailure("cannot write in \(files.folder.path)") }
        self.handle = handle
        sink = try ExportSink(handle: handle, profile: profile)
    }

    func write(_ pairs: [ExportPair]) throws { _ = try sink.write(pairs) }

    func finish() throws -> Written {
        let (rows, sha256, bytes) = try sink.finish()
        try ExportFiles.commit(temporary, to: files.data, handle: handle)
        let manifest = ExportManifest(
            client: client.id, partners: client.partners.map(\.key), day: files.day, rows: rows, file: files.dataName,
            sha256: sha256, bytes: bytes, profile: profile.name, generatedAt: now())
        try files.writeAtomically(try manifest.encoded(), to: files.manifest)
        try files.writeAtomically(Data("\(sha256)  \(files.dataName)\n".utf8), to: files.marker)
        files.syncFolder()
        return Written(rows: rows, sha256: sha256, bytes: bytes, data: files.data)
    }

    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}
