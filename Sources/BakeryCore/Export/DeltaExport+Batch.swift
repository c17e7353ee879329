import Foundation

extension DeltaExport {
    /// One client and day to export or preview.
    public struct Job: Sendable {
        public var client: Client
        public var day: Day

        public init(client: Client, day: Day) {
            self.client = client
            self.day = day
        }
    }

    /// What a job gave: a written run, a preview, or the failure message.
    public enum Outcome: Sendable {
        case written(ExportRun)
        case previewed(Preview)
        case failed(client: String, day: Day, message: String)
    }

    /// Runs `jobs` and returns the outcomes in their order. The jobs of a day share passes over the day's pairs
    /// (see ``written(_:day:by:progress:)``): a day's clients are split into at most `concurrency` passes, each
    /// reading its own snapshot on its own connection, and at most `concurrency` passes run at a time — so the
    /// day's activity is read once or twice instead of once per client, and two cores still work at once. A
    /// failing job does not stop the others.
    ///
    /// The role is checked once for the whole batch (`preview` or `export`): a refusal is audited once, and every
    /// job fails with it.
    /// - Parameter finished: called as jobs end, with the number of jobs ended so far.
    public func perform(
        _ jobs: [Job], preview: Bool, by actor: Operator,
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        finished: @escaping @Sendable (Int) -> Void = { _ in }
    ) async -> [Outcome] {
        guard !jobs.isEmpty else { return [] }
        do {
            try await actor.require(
                preview ? .preview : .export, to: preview ? "preview exports" : "run exports",
                clientID: Set(jobs.map(\.client.id)).count == 1 ? jobs[0].client.id : nil, auditingIn: store)
        } catch {
            let message = (error as? BakeryError)?.localizedDescription ?? "\(error)"
            return jobs.map { .failed(client: $0.client.id, day: $0.day, message: message) }
        }
        let passes = Self.passes(jobs, concurrency: max(1, concurrency))
        return await withTaskGroup(of: [(Int, Outcome)].self) { group in
            var outcomes = [Outcome?](repeating: nil, count: jobs.count)
            var next = 0
            func start() {
                guard next < passes.count else { return }
                let pass = passes[next]
                next += 1
                group.addTask { await self.run(pass.map { ($0, jobs[$0]) }, preview: preview, by: actor) }
            }
            for _ in 0..<max(1, concurrency) { start() }
            var ended = 0
            for await results in group {
                for (index, outcome) in results { outcomes[index] = outcome }
                ended += results.count
                finished(ended)
                start()
            }
            return outcomes.compactMap { $0 }
        }
    }

    /// The jobs' indices grouped into passes: one per day, then the largest split in two (by client, halves of
    /// its jobs) while there are fewer passes than `concurrency`.
    static func passes(_ jobs: [Job], concurrency: Int) -> [[Int]] {
        var byDay: [Day: [Int]] = [:]
        for (index, job) in jobs.enumerated() { byDay[job.day, default: []].append(index) }
        var passes = byDay.sorted { $0.key < $1.key }.map { day in
            day.value.sorted { bytewisePrecedes(jobs[$0].client.id, jobs[$1].client.id) }
        }
        while passes.count < concurrency {
            let sizes = passes.map(\.count)
            guard let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }), sizes[largest] > 1 else { break }
            let pass = passes.remove(at: largest)
            let half = pass.count / 2
            passes += [Array(pass[..<half]), Array(pass[half...])]
        }
        return passes
    }

    /// One pass: jobs of one day (with their indices in the batch), each a different client.
    private func run(_ pass: [(Int, Job)], preview: Bool, by actor: Operator) async -> [(Int, Outcome)] {
        guard let day = pass.first?.1.day else { return [] }
        func failed(_ job: Job, _ error: any Error) -> Outcome {
            .failed(client: job.client.id, day: job.day, message: (error as? BakeryError)?.localizedDescription ?? "\(error)")
        }
        if preview {
            let previews = await tallied(pass.map(\.1.client.id), day: day)
            return pass.map { index, job in
                switch previews[job.client.id] {
                case .success(let preview)?: (index, .previewed(preview))
                case .failure(let error)?: (index, failed(job, error))
                case nil: (index, failed(job, BakeryError.storeFailure("the preview was not settled")))
                }
            }
        }
        let runs = await written(pass.map(\.1.client), day: day, by: actor)
        return zip(pass, runs).map { job, run in
            switch run {
            case .success(let run): (job.0, .written(run))
            case .failure(let error): (job.0, failed(job.1, error))
            }
        }
    }
}
