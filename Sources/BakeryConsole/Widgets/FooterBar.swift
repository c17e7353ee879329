/// The bottom line: the keys that work in the current view (from the key map) and the last message.
public struct FooterBar: Sendable {
    public var hints: [KeyBinding]
    public var message: ConsoleMessage?

    public init(hints: [KeyBinding], message: ConsoleMessage?) {
        self.hints = hints
        self.message = message
    }

    /// Draws the message on the right (it wins over hints for space) and as many hints as fit on the left.
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        grid.fill(rect.row(0), style: context.style(.footer))
        var messageWidth = 0
        if let message {
            let text = TextLayout.truncate(
                message.text + " ", to: rect.width * 2 / 3, ellipsis: context.glyphs.ellipsis)
            messageWidth = DisplayWidth.of(text)
            grid.write(
                text, x: rect.maxX - messageWidth, y: rect.y, style: context.style(message.isError ? .error : .message))
        }
        let room = Rect(x: rect.x, y: rect.y, width: rect.width - messageWidth - 1, height: 1)
        var x = room.x + 1
        for hint in hints {
            let key = hint.keyLabel
            let width = DisplayWidth.of(key) + 1 + DisplayWidth.of(hint.shortName) + 2
            guard x + width <= room.maxX else { break }
            x += grid.write(key, x: x, y: rect.y, style: context.style(.footerKey), clip: room)
            x += grid.write(" " + hint.shortName + "  ", x: x, y: rect.y, style: context.style(.footer), clip: room)
        }
    }
}

/// A line for the footer: the outcome of the last action or an error.
public struct ConsoleMessage: Hashable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}
