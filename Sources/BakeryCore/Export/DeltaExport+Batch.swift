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

    /// Runs `jobs` with at most `concurrency` at a time — each reads its own snapshot on its own connection, so
    /// two cores export two clients at once — and returns the outcomes in the order of `jobs`. A failing job
    /// does not stop the others.
    ///
    /// The role is checked once for the whole batch (`preview` or `export`): a refusal is audited once, and every
    /// job fails with it.
    /// - Parameter finished: called as each job ends, with the number of jobs ended so far.
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
        return await withTaskGroup(of: (Int, Outcome).self) { group in
            var outcomes = [Outcome?](repeating: nil, count: jobs.count)
            var next = 0
            func start() {
                guard next < jobs.count else { return }
                let index = next
                let job = jobs[index]
                next += 1
                group.addTask {
                    do {
                        if preview {
                            return (index, .previewed(try await self.tallied(clientID: job.client.id, day: job.day)))
                        }
                        return (index, .written(try await self.written(client: job.client, day: job.day, by: actor)))
                    } catch {
                        let message = (error as? BakeryError)?.localizedDescription ?? "\(error)"
                        return (index, .failed(client: job.client.id, day: job.day, message: message))
                    }
                }
            }
            for _ in 0..<max(1, concurrency) { start() }
            var ended = 0
            for await (index, outcome) in group {
                outcomes[index] = outcome
                ended += 1
                finished(ended)
                start()
            }
            return outcomes.compactMap { $0 }
        }
    }
}
