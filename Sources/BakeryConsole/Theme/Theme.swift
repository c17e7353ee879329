/// A console colour scheme: a versioned value with every key optional over the built-in defaults.
///
/// Themes are loaded from `themes/*.toml` (see ``Theme/load(contentsOf:)``) and passed in explicitly; nothing reads a
/// global theme. A file only has to name what it changes.
public struct Theme: Hashable, Codable, Sendable {
    /// The format version this build reads. A file with another version is rejected rather than half-understood.
    public static let currentVersion = 1

    public var version: Int
    public var name: String
    /// Forces ASCII borders and charts even on a UTF-8 terminal.
    public var ascii: Bool?
    /// Per-role overrides.
    public var roles: [ThemeRole: StyleSpec]

    public init(
        name: String, version: Int = Theme.currentVersion, ascii: Bool? = nil, roles: [ThemeRole: StyleSpec] = [:]
    ) {
        self.version = version
        self.name = name
        self.ascii = ascii
        self.roles = roles
    }

    /// The resolved style for a role.
    public func style(_ role: ThemeRole) -> Style {
        let base = Theme.builtInStyles[role] ?? .plain
        return roles[role]?.applied(to: base) ?? base
    }

    /// The defaults every theme starts from: a dark scheme on the terminal's own background. Kept in code so the
    /// console still works (and tests still render) when the `themes/` folder is missing.
    static let builtInStyles: [ThemeRole: Style] = [
        .text: .plain,
        .muted: Style(foreground: .ansi(8)),
        .header: Style(foreground: .ansi(0), background: .ansi(6), attributes: .bold),
        .footer: Style(foreground: .ansi(7)),
        .footerKey: Style(foreground: .ansi(6), attributes: .bold),
        .message: Style(foreground: .ansi(3)),
        .error: Style(foreground: .ansi(1), attributes: .bold),
        .selection: Style(foreground: .ansi(0), background: .ansi(6)),
        .tableHeader: Style(foreground: .ansi(6), attributes: [.bold, .underline]),
        .positive: Style(foreground: .ansi(2)),
        .negative: Style(foreground: .ansi(1)),
        .chart: Style(foreground: .ansi(6)),
        .border: Style(foreground: .ansi(8)),
        .title: Style(foreground: .ansi(6), attributes: .bold),
        .dialog: .plain,
        .input: Style(attributes: .bold),
    ]

    /// The theme used when the terminal cannot show colour and no `monochrome` file is found: bold and reverse only.
    public static let monochromeFallback = Theme(
        name: "monochrome",
        roles: Dictionary(
            uniqueKeysWithValues: ThemeRole.allCases.map { role in
                let attributes: TextAttributes =
                    switch role {
                    case .header, .selection: [.reverse, .bold]
                    case .tableHeader: [.bold, .underline]
                    case .footerKey, .title, .error, .input: [.bold]
                    case .muted, .border: [.dim]
                    case .negative: [.underline]
                    default: []
                    }
                return (
                    role,
                    StyleSpec(
                        fg: "default", bg: "default", bold: attributes.contains(.bold),
                        reverse: attributes.contains(.reverse), underline: attributes.contains(.underline),
                        dim: attributes.contains(.dim))
                )
            })
    )

    /// The built-in dark defaults with no overrides.
    public static let builtIn = Theme(name: "default")
}
