import Foundation

/// Totals of one CRM file read.
public struct CRMReadSummary: Sendable, Equatable {
    /// Data rows (see `CSVRecord.row`).
    public var rows = 0
    public var accepted = 0
    public var rejected = 0
    /// Skipped empty lines.
    public var blankLines = 0
    /// Header names that map to nothing and were ignored.
    public var ignoredColumns: [String] = []
    /// Header names used, with the column each one means.
    public var mappedColumns: [String: CRMColumn] = [:]

    public init() {}
}

/// Reads a CRM onboarding or update file end to end: container, CSV, header mapping, and each
/// row to a hashed record or a rejection. This is the entry point the CLI, the drop zone and the
/// console share. It holds at most two batches of rows (`batchSize`), so memory stays bounded and
/// the caller decides what to collect.
///
/// ```swift
/// let reader = try CRMFileReader(url: file, clientID: "acme", country: "NL")
/// var report = RejectionReport()
/// let summary = try reader.read { outcome in
///     switch outcome {
///     case .accepted(_, let record): records.append(record)
///     case .rejected(let rejection): report.add(rejection)
///     }
/// }
/// ```
public struct CRMFileReader: Sendable {
    public let url: URL
    public let clientID: String
    public let country: String
    public let today: Day
    public let limits: CSVLimits
    /// Threads that normalise rows; libphonenumber's ~5–14 µs per number dominates the time.
    public let workers: Int

    /// Rows normalised together; bounds the memory the parallel step holds (about 1 MB).
    static let batchSize = 8192

    /// - Throws: `BakeryError.invalidInput` when the file name has no accepted ending.
    public init(
        url: URL, clientID: String, country: String, today: Day = Day(Date()), limits: CSVLimits = .standard,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws {
        _ = try CSVContainer.of(url)
        self.url = url
        self.clientID = clientID
        self.country = country.uppercased()
        self.today = today
        self.limits = limits
        self.workers = max(1, workers)
    }

    /// Reads the file, calling `body` once per data row in file order (rows are normalised in
    /// batches on `workers` threads, but `body` is always called on the caller's thread).
    ///
    /// - Parameters:
    ///   - progress: called after each 64 KiB chunk with the fraction of the file consumed
    ///     (0...1); throw from it (e.g. `try Task.checkCancellation()`) to stop between chunks.
    ///   - body: called with each row's outcome.
    /// - Throws: `BakeryError.invalidInput` for an unreadable or empty file, a header that
    ///   cannot work (see `CRMHeaderMapping`), or a file with no data rows; and whatever `body`
    ///   or `progress` throws.
    public func read(
        progress: (Double) throws -> Void = { _ in }, _ body: (CRMRowOutcome) throws -> Void
    ) throws -> CRMReadSummary {
        let csv = try CSVFileReader(url: url, limits: limits)
        var parser: CRMRowParser?
        var summary = CRMReadSummary()
        var batch: [CSVEvent] = []
        batch.reserveCapacity(Self.batchSize)
        // While one batch is normalised and hashed on the workers, the previous one goes to `body` (the store's
        // writes) on this thread: the two overlap instead of taking turns. At most two batches are held.
        var pending: PendingBatch?
        func deliver(_ done: PendingBatch) throws {
            for outcome in done.outcomes() {
                if case .accepted = outcome { summary.accepted += 1 } else { summary.rejected += 1 }
                try body(outcome)
            }
        }
        func flush() throws {
            guard let parser, !batch.isEmpty else { return }
            let next = PendingBatch(events: batch, parser: parser, workers: workers)
            batch = []
            batch.reserveCapacity(Self.batchSize)
            if let previous = pending { try deliver(previous) }
            pending = next
        }
        let csvSummary = try csv.read(
            header: { names in
                let mapping: CRMHeaderMapping
                do {
                    mapping = try CRMHeaderMapping(header: names, country: country)
                } catch let BakeryError.invalidInput(message) {
                    throw BakeryError.invalidInput("\(url.path): \(message)")
                }
                parser = CRMRowParser(clientID: clientID, country: country, mapping: mapping, today: today)
                summary.ignoredColumns = mapping.ignoredColumns
                for (index, column) in mapping.columns { summary.mappedColumns[names[index]] = column }
            },
            records: { event in
                batch.append(event)
                if batch.count == Self.batchSize { try flush() }
            },
            progress: progress)
        try flush()
        if let last = pending { try deliver(last) }
        summary.rows = csvSummary.rows
        summary.blankLines = csvSummary.blankLines
        guard summary.rows > 0 else {
            throw BakeryError.invalidInput("\(url.path): the file has a header but no data rows")
        }
        return summary
    }

    /// The outcomes of `events` in order, computed on up to `workers` threads.
    static func outcomes(for events: [CSVEvent], parser: CRMRowParser, workers: Int) -> [CRMRowOutcome] {
        guard workers > 1, events.count >= 512 else { return events.map(parser.outcome(for:)) }
        var results = [CRMRowOutcome?](repeating: nil, count: events.count)
        let slice = (events.count + workers - 1) / workers
        results.withUnsafeMutableBufferPointer { buffer in
            // Each worker writes only its own index range, so the writes never overlap.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let start = worker * slice
                let end = min(events.count, start + slice)
                guard start < end else { return }
                for index in start..<end { output[index] = parser.outcome(for: events[index]) }
            }
        }
        return results.map { $0! }
    }
}

/// One batch being turned into outcomes on a background queue; `outcomes()` waits for it.
private final class PendingBatch: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written only by the background job, read only after `group.wait()`: the group orders the two.
    private var results: [CRMRowOutcome] = []

    init(events: [CSVEvent], parser: CRMRowParser, workers: Int) {
        DispatchQueue.global().async(group: group) {
            self.results = CRMFileReader.outcomes(for: events, parser: parser, workers: workers)
        }
    }

    func outcomes() -> [CRMRowOutcome] {
        group.wait()
        return results
    }
}
