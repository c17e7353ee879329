/// A yes/no question before a destructive or outward action. "No" is the default, so a stray Enter is harmless.
public struct ConfirmationDialog: Hashable, Sendable {
    public var title: String
    public var message: String
    public var confirmLabel: String
    public private(set) var confirmSelected = false

    /// What a key did to the dialog.
    public enum Outcome: Hashable, Sendable {
        case pending, confirmed, cancelled
    }

    public init(title: String, message: String, confirmLabel: String = "Yes") {
        self.title = title
        self.message = message
        self.confirmLabel = confirmLabel
    }

    /// `y` confirms, `n`/Esc/`q` cancel, ←/→/Tab/h/l move between the buttons, Enter takes the selected one.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .character("y"), .character("Y"): return .confirmed
        case .character("n"), .character("N"), .character("q"), .escape: return .cancelled
        case .left, .right, .tab, .backTab, .character("h"), .character("l"):
            confirmSelected.toggle()
            return .pending
        case .enter: return confirmSelected ? .confirmed : .cancelled
        default: return .pending
        }
    }

    /// Draws the dialog centred in `rect`.
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let boxWidth = min(60, rect.width)
        let lines = WordWrap.lines(message, width: boxWidth - 6)
        let box = rect.centered(width: boxWidth, height: lines.count + 5)
        grid.fill(box, style: context.style(.dialog))
        grid.drawBox(
            box, style: context.style(.border), glyphs: context.glyphs, title: title, titleStyle: context.style(.title))
        for (index, line) in lines.enumerated() {
            grid.write(line, x: box.x + 3, y: box.y + 2 + index, style: context.style(.dialog), clip: box.inset(by: 1))
        }
        let yes = " \(confirmLabel) (y) "
        let no = " Cancel (n) "
        let buttonsWidth = DisplayWidth.of(yes) + DisplayWidth.of(no) + 2
        let buttonsX = box.x + (box.width - buttonsWidth) / 2
        let y = box.maxY - 2
        let normal = context.style(.dialog)
        let selected = context.style(.selection)
        let yesWidth = grid.write(
            yes, x: buttonsX, y: y, style: confirmSelected ? selected : normal, clip: box.inset(by: 1))
        grid.write(
            no, x: buttonsX + yesWidth + 2, y: y, style: confirmSelected ? normal : selected, clip: box.inset(by: 1))
    }
}

/// Greedy word wrapping by display width.
public enum WordWrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if DisplayWidth.of(candidate) <= width || line.isEmpty {
                    line = candidate
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines
    }
}
