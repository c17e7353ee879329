/// A `:` command: its name, a summary for help, and what it does with its arguments.
public struct ConsoleCommand: Sendable {
    public var name: String
    /// Shown in help: `CLIENT` for `:client CLIENT`.
    public var argumentHint: String?
    public var summary: String
    /// Values Tab offers for the first argument (client ids, theme names).
    public var completions: @MainActor @Sendable () -> [String]
    public var run: @MainActor @Sendable (_ arguments: [String]) -> ViewAction

    public init(
        name: String, argumentHint: String? = nil, summary: String,
        completions: @escaping @MainActor @Sendable () -> [String] = { [] },
        run: @escaping @MainActor @Sendable (_ arguments: [String]) -> ViewAction
    ) {
        self.name = name
        self.argumentHint = argumentHint
        self.summary = summary
        self.completions = completions
        self.run = run
    }
}
