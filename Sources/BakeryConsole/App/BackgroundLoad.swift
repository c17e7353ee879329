import BakeryCore

/// One piece of work a view runs after its first frame — live counts that take seconds, a preview, a lineage —
/// with its state, so the view can draw "…", the value, or "n/a" and the app knows to redraw when it lands. Starting
/// it again cancels the run in flight; a run that was overtaken never writes its result.
///
/// ```swift
/// let counts = BackgroundLoad<ClientCounts>(environment, what: "count the live figures of acme")
/// counts.start { try await store.counts(clientID: "acme", now: moment) }
/// if let value = counts.value { … } else if counts.failed { draw("n/a") }
/// ```
@MainActor
final class BackgroundLoad<Value: Sendable> {
    enum State {
        case idle
        case running
        case done(Value)
        case failed(String)
    }

    private(set) var state = State.idle
    private var task: Task<Void, Never>?
    private var generation = 0
    private let environment: ConsoleEnvironment
    /// For the log: "count the live figures of acme".
    private let what: String

    init(_ environment: ConsoleEnvironment, what: String) {
        self.environment = environment
        self.what = what
    }

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    var value: Value? {
        if case .done(let value) = state { return value }
        return nil
    }

    var failure: String? {
        if case .failed(let message) = state { return message }
        return nil
    }

    /// Runs `work` in the background; `then` runs on the main actor with the value when it succeeds.
    func start(
        _ work: @escaping @Sendable () async throws -> Value, then: @escaping @MainActor (Value) -> Void = { _ in }
    ) {
        task?.cancel()
        generation += 1
        let mine = generation
        state = .running
        task = Task { [weak self] in
            let result: Result<Value, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            guard let self, self.generation == mine, !Task.isCancelled else { return }
            self.task = nil
            switch result {
            case .success(let value):
                self.state = .done(value)
                then(value)
            case .failure(let error):
                let message = (error as? BakeryError)?.localizedDescription ?? "\(error)"
                self.state = .failed(message)
                self.environment.record("could not \(self.what): \(message)")
            }
            self.environment.setNeedsDisplay()
        }
    }

    /// Stops the run in flight and forgets any value.
    func reset() {
        task?.cancel()
        task = nil
        generation += 1
        state = .idle
    }

    /// Waits for the run in flight; for tests.
    func settle() async { await task?.value }
}
