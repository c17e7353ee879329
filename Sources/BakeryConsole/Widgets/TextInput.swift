/// A one-line text field with the editing keys of a shell: ←/→, Home/End (Ctrl-A/Ctrl-E), Backspace, Del,
/// Ctrl-U (clear to start), Ctrl-W (delete word before the cursor). Used by the command line and the filter.
public struct TextInput: Hashable, Sendable {
    public private(set) var characters: [Character]
    /// Insertion point, 0...characters.count.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    /// Replaces the text and puts the cursor at the end (after a completion).
    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Applies an editing key. Returns false for keys that are not editing keys (Enter, Esc, Tab…), which the
    /// owner handles.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            characters.insert(character, at: cursor)
            cursor += 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .control("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .control("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// Draws `prompt` and the text into one row, scrolled so the cursor (a reversed cell) stays visible.
    public func render(into grid: inout Grid, in rect: Rect, prompt: String, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let style = context.style(.input)
        grid.fill(rect.row(0), style: style)
        let promptWidth = grid.write(prompt, x: rect.x, y: rect.y, style: style, clip: rect)
        let room = rect.width - promptWidth - 1
        guard room > 0 else { return }
        // Scroll so the cursor sits inside the visible part.
        var first = 0
        while DisplayWidth.of(String(characters[first..<cursor])) > room { first += 1 }
        let visible = String(characters[first...])
        let field = Rect(x: rect.x + promptWidth, y: rect.y, width: rect.width - promptWidth, height: 1)
        grid.write(visible, x: field.x, y: field.y, style: style, clip: field)
        let cursorX = field.x + DisplayWidth.of(String(characters[first..<cursor]))
        let under = cursor < characters.count ? String(characters[cursor]) : " "
        grid.write(under, x: cursorX, y: field.y, style: style.adding(.reverse), clip: field)
    }
}
