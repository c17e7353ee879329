/// A small form over the screen: one or more labelled text fields, a line of help, and a check that runs before
/// the form is accepted (a typed client id must match, a day must be a real day). Enter accepts from the last field
/// (or moves to the next), Tab and ↑/↓ move between fields, Esc cancels.
///
/// ```swift
/// let form = FormDialog(title: "Replace acme's records", message: "Type the client id to confirm.",
///                       fields: [.init("client id")]) { values in values[0] == "acme" ? nil : "that is not acme" }
/// ```
public struct FormDialog: Sendable {
    public struct Field: Sendable {
        public var label: String
        public var input: TextInput
        /// Values Tab offers when the field's text is a prefix of one (client ids, actions).
        public var suggestions: [String]

        public init(_ label: String, value: String = "", suggestions: [String] = []) {
            self.label = label
            input = TextInput(value)
            self.suggestions = suggestions
        }
    }

    /// What a key did to the form.
    public enum Outcome: Sendable, Equatable {
        case pending
        case cancelled
        case accepted([String])
    }

    public var title: String
    public var message: String
    public private(set) var fields: [Field]
    public private(set) var focus = 0
    /// Why the last Enter was refused, shown under the fields.
    public private(set) var error: String?
    private let check: @Sendable ([String]) -> String?

    /// - Parameter check: nil when the values may be accepted, else the reason shown in the form.
    public init(
        title: String, message: String, fields: [Field], check: @escaping @Sendable ([String]) -> String? = { _ in nil }
    ) {
        precondition(!fields.isEmpty, "a form needs a field")
        self.title = title
        self.message = message
        self.fields = fields
        self.check = check
    }

    public var values: [String] { fields.map(\.input.text) }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .enter:
            if focus < fields.count - 1 {
                focus += 1
                return .pending
            }
            if let problem = check(values) {
                error = problem
                return .pending
            }
            return .accepted(values)
        case .tab:
            if complete() { return .pending }
            focus = (focus + 1) % fields.count
        case .backTab, .up: focus = (focus + fields.count - 1) % fields.count
        case .down: focus = (focus + 1) % fields.count
        default:
            if fields[focus].input.handle(key) { error = nil }
        }
        return .pending
    }

    /// Completes the focused field to its only matching suggestion; false when there is none or it is complete.
    private mutating func complete() -> Bool {
        let text = fields[focus].input.text
        let matches = fields[focus].suggestions.filter { $0.hasPrefix(text) && $0 != text }
        guard matches.count == 1 else { return false }
        fields[focus].input.set(matches[0])
        return true
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let boxWidth = min(64, rect.width)
        let lines = WordWrap.lines(message, width: boxWidth - 6)
        let height = lines.count + fields.count + (error == nil ? 0 : 1) + 6
        let box = rect.centered(width: boxWidth, height: min(height, rect.height))
        grid.fill(box, style: context.style(.dialog))
        grid.drawBox(
            box, style: context.style(.border), glyphs: context.glyphs, title: title, titleStyle: context.style(.title))
        let inner = box.inset(by: 1)
        var y = box.y + 2
        for line in lines {
            grid.write(line, x: box.x + 3, y: y, style: context.style(.dialog), clip: inner)
            y += 1
        }
        y += 1
        let labelWidth = min(18, (fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 2)
        for (index, field) in fields.enumerated() where y < inner.maxY {
            grid.write(field.label + ":", x: box.x + 3, y: y, style: context.style(.dialog), clip: inner)
            let input = Rect(x: box.x + 3 + labelWidth, y: y, width: box.width - 6 - labelWidth, height: 1)
            if index == focus {
                field.input.render(into: &grid, in: input, prompt: "", context: context)
            } else {
                grid.fill(input, style: context.style(.input))
                grid.write(field.input.text, in: input, style: context.style(.input), glyphs: context.glyphs)
            }
            y += 1
        }
        if let error, y < inner.maxY {
            grid.write(error, in: Rect(x: box.x + 3, y: y, width: box.width - 6, height: 1),
                style: context.style(.error), glyphs: context.glyphs)
        }
        let hint = fields.count > 1 ? "Enter next/accept · Tab next · Esc cancel" : "Enter accept · Esc cancel"
        grid.write(hint, in: Rect(x: box.x + 3, y: box.maxY - 2, width: box.width - 6, height: 1),
            style: context.style(.muted), glyphs: context.glyphs)
    }
}
