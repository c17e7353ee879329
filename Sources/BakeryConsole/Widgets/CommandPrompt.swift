/// The `:` command line: a ``TextInput`` plus Tab completion of command names and of their first argument.
public struct CommandPrompt: Sendable {
    public var input = TextInput()
    /// What the last Tab could complete to, when it was ambiguous; shown above the prompt.
    public private(set) var candidates: [String] = []

    public init() {}

    /// Completes the word under the cursor to the longest common prefix of its matches; a unique match also gets a
    /// trailing space so the next word can be typed at once.
    /// - Parameters:
    ///   - commands: command names.
    ///   - arguments: the completions for a command's first argument.
    public mutating func complete(commands: [String], arguments: (String) -> [String]) {
        let text = input.text
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let pool: [String]
        let prefix: String
        if words.count <= 1 {
            pool = commands
            prefix = words.first ?? ""
        } else {
            pool = arguments(words[0])
            prefix = words.last ?? ""
        }
        let matches = pool.filter { $0.hasPrefix(prefix) }.sorted()
        candidates = matches.count > 1 ? matches : []
        guard let first = matches.first else { return }
        var common = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(common) { common.removeLast() }
        }
        let head = words.dropLast().joined(separator: " ")
        let completed = (head.isEmpty ? "" : head + " ") + common + (matches.count == 1 ? " " : "")
        input.set(completed)
    }

    /// Edits the text; any edit clears stale candidates.
    public mutating func edit(_ key: Key) -> Bool {
        let handled = input.handle(key)
        if handled { candidates = [] }
        return handled
    }

    /// The command name and its arguments.
    public var words: [String] { input.text.split(separator: " ").map(String.init) }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        input.render(into: &grid, in: rect, prompt: ":", context: context)
    }

    /// The candidates row drawn above the prompt: `clients  client  theme`.
    public func renderCandidates(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !candidates.isEmpty, !rect.isEmpty else { return }
        grid.write(
            " " + candidates.joined(separator: "  "), in: rect.row(0), style: context.style(.dialog),
            glyphs: context.glyphs)
    }
}
