import BakeryCore

/// What a key means, independent of which key it is. Views receive actions, not raw keys, so remapping a key or
/// generating help never touches a view.
public enum KeyAction: Hashable, Sendable {
    case commandLine, filter, help, back, quit, reload
    case up, down, left, right, pageUp, pageDown, top, bottom
    case open, sortNext, sortReverse
    /// A view's own action, by a name the view chooses.
    case custom(String)
}

/// Where a binding applies: everywhere, or in one view (named by its ``ConsoleView/kind``).
public enum KeyScope: Hashable, Sendable {
    case global
    case view(String)
}

/// One entry of the key map: the data the dispatcher, the footer and the `?` help are all generated from.
public struct KeyBinding: Hashable, Sendable {
    public var keys: [Key]
    public var action: KeyAction
    /// A word or two for the footer: `filter`, `open`.
    public var shortName: String
    /// A sentence for the help overlay.
    public var description: String
    public var scope: KeyScope
    /// Whether the footer lists it; movement keys are only in help, to leave room for what is specific to a view.
    public var inFooter: Bool
    /// The permission the action needs. Without it the key is shown disabled, with the reason, and pressing it asks
    /// the core anyway, which refuses and audits the refusal.
    public var requires: Permission?

    public init(
        _ keys: [Key], _ action: KeyAction, shortName: String, description: String, scope: KeyScope = .global,
        inFooter: Bool = true, requires: Permission? = nil
    ) {
        self.keys = keys
        self.action = action
        self.shortName = shortName
        self.description = description
        self.scope = scope
        self.inFooter = inFooter
        self.requires = requires
    }

    /// The keys as written in the footer and help: `q/Esc`.
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

/// The global key map, plus lookup that lets a view's bindings take precedence over it.
public enum KeyMap {
    public static let global: [KeyBinding] = [
        KeyBinding(
            [.character(":")], .commandLine, shortName: "cmd", description: "Open the command line (Tab completes)"),
        KeyBinding([.character("/")], .filter, shortName: "filter", description: "Filter the rows of this view"),
        KeyBinding([.character("?")], .help, shortName: "help", description: "Show this help"),
        KeyBinding(
            [.character("q"), .escape], .back, shortName: "back", description: "Go back; quits from the first view"),
        KeyBinding([.control("c")], .quit, shortName: "quit", description: "Quit at once", inFooter: false),
        KeyBinding(
            [.character("r")], .reload, shortName: "reload", description: "Reload this view's data", inFooter: false),
        KeyBinding([.character("k"), .up], .up, shortName: "up", description: "Move up", inFooter: false),
        KeyBinding([.character("j"), .down], .down, shortName: "down", description: "Move down", inFooter: false),
        KeyBinding(
            [.character("h"), .left], .left, shortName: "left", description: "Scroll columns left", inFooter: false),
        KeyBinding(
            [.character("l"), .right], .right, shortName: "right",
            description: "Scroll columns right (when some do not fit)", inFooter: false),
        KeyBinding([.pageUp, .control("b")], .pageUp, shortName: "page up", description: "Page up", inFooter: false),
        KeyBinding(
            [.pageDown, .control("f")], .pageDown, shortName: "page down", description: "Page down", inFooter: false),
        KeyBinding(
            [.character("g"), .home], .top, shortName: "top", description: "Go to the first row", inFooter: false),
        KeyBinding(
            [.character("G"), .end], .bottom, shortName: "bottom", description: "Go to the last row", inFooter: false),
    ]

    /// The action for `key`: the view's bindings first, then the global ones.
    public static func action(for key: Key, viewBindings: [KeyBinding]) -> KeyAction? {
        binding(for: key, viewBindings: viewBindings)?.action
    }

    /// The binding `key` triggers: the view's first, then the global ones.
    public static func binding(for key: Key, viewBindings: [KeyBinding]) -> KeyBinding? {
        (viewBindings + global).first { $0.keys.contains(key) }
    }
}
