/// The bottom line: the keys that work in the current view (from the key map) and the last message. Keys the
/// operator's role may not use are drawn muted (their reason is in `?` help and in the message when pressed).
public struct FooterBar: Sendable {
    public var hints: [KeyBinding]
    public var message: ConsoleMessage?
    /// Indices of `hints` the role does not allow.
    public var disabled: Set<Int>

    public init(hints: [KeyBinding], message: ConsoleMessage?, disabled: Set<Int> = []) {
        self.hints = hints
        self.message = message
        self.disabled = disabled
    }

    /// Draws the message on the right (it wins over hints for space) and as many hints as fit on the left.
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        grid.fill(rect.row(0), style: context.style(.footer))
        let messageWidth = messageText(width: rect.width, glyphs: context.glyphs).map { text in
            let width = DisplayWidth.of(text)
            grid.write(
                text, x: rect.maxX - width, y: rect.y, style: context.style(message?.isError == true ? .error : .message))
            return width
        } ?? 0
        let room = Rect(x: rect.x, y: rect.y, width: rect.width - messageWidth - 1, height: 1)
        for (index, span) in spans(in: room) {
            let hint = hints[index]
            let off = disabled.contains(index)
            let keyWidth = grid.write(
                hint.keyLabel, x: span.x, y: rect.y, style: context.style(off ? .footer : .footerKey), clip: room)
            let name = " " + hint.shortName + (off ? context.glyphs.disabledMark : "") + "  "
            grid.write(
                name, x: span.x + keyWidth, y: rect.y, style: off ? context.style(.footer).adding(.dim) : context.style(.footer),
                clip: room)
        }
    }

    /// The hint drawn at column `x` of a footer `width` wide, for mouse clicks.
    public func binding(at x: Int, width: Int) -> KeyBinding? {
        let messageWidth = messageText(width: width, glyphs: .ascii).map(DisplayWidth.of) ?? 0
        let room = Rect(x: 0, y: 0, width: width - messageWidth - 1, height: 1)
        return spans(in: room).first { $0.1.contains(x: x, y: 0) }.map { hints[$0.0] }
    }

    private func messageText(width: Int, glyphs: Glyphs) -> String? {
        message.map { TextLayout.truncate($0.text + " ", to: width * 2 / 3, ellipsis: glyphs.ellipsis) }
    }

    /// Where each hint that fits goes: its index and the cells it takes (`key name` and two spaces).
    private func spans(in room: Rect) -> [(Int, Rect)] {
        var result: [(Int, Rect)] = []
        var x = room.x + 1
        for (index, hint) in hints.enumerated() {
            let width =
                DisplayWidth.of(hint.keyLabel) + 1 + DisplayWidth.of(hint.shortName)
                + (disabled.contains(index) ? 1 : 0) + 2
            guard x + width <= room.maxX else { break }
            result.append((index, Rect(x: x, y: room.y, width: width, height: 1)))
            x += width
        }
        return result
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
