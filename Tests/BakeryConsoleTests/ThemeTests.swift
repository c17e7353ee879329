import BakeryCore
import Foundation
import Testing

@testable import BakeryConsole

@Suite struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")
    static let shipped = ["colorblind", "default", "high-contrast", "light", "monochrome"]

    @Test func theCatalogListsEveryShippedTheme() {
        #expect(ThemeCatalog(folder: Self.themesFolder).names() == Self.shipped)
    }

    @Test(arguments: shipped)
    func everyShippedThemeLoads(name: String) throws {
        let theme = try ThemeCatalog(folder: Self.themesFolder).load(named: name)
        #expect(theme.version == 1)
        #expect(theme.name == name)
        // A theme must keep the selection visible against the text.
        #expect(theme.style(.selection) != theme.style(.text))
    }

    @Test func theDefaultFileMatchesTheBuiltInDefaults() throws {
        let theme = try ThemeCatalog(folder: Self.themesFolder).load(named: "default")
        for role in ThemeRole.allCases { #expect(theme.style(role) == Theme.builtIn.style(role), "\(role)") }
    }

    @Test func monochromeUsesNoColourAndMatchesTheFallback() throws {
        let theme = try ThemeCatalog(folder: Self.themesFolder).load(named: "monochrome")
        for role in ThemeRole.allCases {
            let style = theme.style(role)
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault, "\(role)")
            #expect(style == Theme.monochromeFallback.style(role), "\(role)")
        }
    }

    @Test func aFileOnlyNamesWhatItChanges() throws {
        let theme = try Theme.parse("version = 1\n[header]\nbg = \"blue\"\n", file: "t.toml", defaultName: "t")
        #expect(theme.style(.header).background == .ansi(4))
        #expect(theme.style(.header).foreground == Theme.builtIn.style(.header).foreground)
        #expect(theme.style(.footer) == Theme.builtIn.style(.footer))
    }

    @Test(arguments: [
        (
            "version = 1\n[header]\nfg = \"purple\"\n",
            "bad.toml:3: header.fg 'purple' is not a colour; use default, an ANSI name (red, bright-blue, …) or 0-255"
        ),
        ("version = 2\n", "bad.toml:1: version is 2, but this Bakery reads theme version 1"),
        ("[header]\nbold = true\n", "bad.toml:1: version is missing; start the file with `version = 1`"),
        (
            "version = 1\n[headr]\n",
            "bad.toml:2: headr is not a theme role; roles are text, muted, header, footer, footer-key, message, error, selection, table-header, positive, negative, chart, border, title, dialog, input"
        ),
        ("version = 1\n[header]\nbold = \"yes\"\n", "bad.toml:3: header.bold must be true or false, not a string"),
        (
            "version = 1\n[header]\nblink = true\n",
            "bad.toml:3: header.blink is not a style setting (known: fg, bg, bold, reverse, underline, dim)"
        ),
        ("version = 1\n[header\n", "bad.toml:2: a section header looks like [name]"),
        ("version = 1\nname \"x\"\n", "bad.toml:2: expected `key = value`"),
        ("version = 1\n[header]\nfg = \"red\"\nfg = \"blue\"\n", "bad.toml:4: key 'fg' is set twice in this section"),
    ])
    func malformedThemesAreRejectedWithFileLineAndKey(text: String, message: String) {
        #expect(throws: ThemeError.self) { try Theme.parse(text, file: "bad.toml", defaultName: "bad") }
        do {
            _ = try Theme.parse(text, file: "bad.toml", defaultName: "bad")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func anUnknownThemeNameListsTheKnownOnes() {
        do {
            _ = try ThemeCatalog(folder: Self.themesFolder).load(named: "solarized")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.message == "does not exist; known themes: colorblind, default, high-contrast, light, monochrome")
        }
    }

    @Test func commentsAndIntegersParse() throws {
        let document = try TOMLDocument(
            parsing: "# top\nversion = 1 # trailing\nname = \"a # not a comment\"\n[x]\nn = 1_000\n")
        #expect(document.sections[0].keys.map(\.key) == ["version", "name"])
        #expect(document.sections[0].keys[1].entry.value == .string("a # not a comment"))
        #expect(document.sections[1].keys[0].entry.value == .integer(1000))
    }

    @Test(
        arguments: [
            ("dark", nil, [String: String](), nil, "dark"),
            (nil, "light", [:], nil, "light"),
            (nil, nil, [:], nil, "default"),
            (nil, "light", ["NO_COLOR": "1"], nil, "monochrome"),
            ("light", nil, ["NO_COLOR": "1"], nil, "light"),
            (nil, nil, ["NO_COLOR": ""], nil, "default"),
            ("light", nil, ["TERM": "dumb"], nil, "monochrome"),
            ("light", nil, [:], 0, "monochrome"),
        ] as [(String?, String?, [String: String], Int?, String)])
    func selectionOrder(
        explicit: String?, configured: String?, environment: [String: String], colors: Int?, expected: String
    ) {
        #expect(
            ThemeSelection.name(
                explicit: explicit, configured: configured, environment: environment, terminalColors: colors)
                == expected)
    }

    @Test func theThemesFolderIsFoundFromTheEnvironmentOrTheCurrentDirectory() {
        let explicit = ThemeCatalog.locate(environment: ["BAKERY_THEMES": "/opt/themes"])
        #expect(explicit?.folder.path == "/opt/themes")
        let repo = Self.themesFolder.deletingLastPathComponent()
        let found = ThemeCatalog.locate(
            environment: [:], currentDirectory: repo, executable: URL(fileURLWithPath: "/nonexistent/bin/bakery"))
        #expect(found?.folder.standardizedFileURL == Self.themesFolder.standardizedFileURL)
    }

    @Test func indexedColoursFallBackToTheNearestANSIColour() {
        #expect(TerminalColor(name: "214")?.number(forTerminalColors: 256) == 214)
        #expect(TerminalColor(name: "214")?.number(forTerminalColors: 8) == 3)  // orange → yellow
        #expect(TerminalColor(name: "25")?.number(forTerminalColors: 8) == 4)  // blue
        #expect(TerminalColor(name: "bright-red")?.number(forTerminalColors: 8) == 1)
        #expect(TerminalColor(name: "default")?.number(forTerminalColors: 256) == -1)
    }
}
