import CNcurses
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real terminal, through ncursesw. It only copies grids to the screen and decodes keys; nothing here
/// decides what is shown.
@MainActor
public final class NcursesDriver: TerminalDriver {
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: Grid?
    private var pairs: [ColorPairKey: Int16] = [:]
    public private(set) var colorCount = 0
    public private(set) var supportsUnicode = true

    public init() {}

    public var size: Size {
        guard let window else { return Size(width: 80, height: 24) }
        return Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public func start() throws {
        // initscr exits the process when it cannot open a terminal; fail with a message instead.
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw NcursesDriverError.noTerminal }
        supportsUnicode = Self.selectUTF8Locale()
        TerminalRestoration.install()
        guard let screen = initscr() else { throw NcursesDriverError.noTerminal }
        window = screen
        // raw (not cbreak) so Ctrl-C reaches us as a key and quits cleanly instead of killing the process.
        raw()
        noecho()
        keypad(screen, true)
        nonl()
        curs_set(0)
        set_escdelay(25)
        // Clicks select rows and tabs, the wheel scrolls; no click delay, so a press acts at once.
        mousemask(bakery_mouse_mask(), nil)
        mouseinterval(0)
        // Home and End as tmux, screen and some xterm setups send them, whatever the terminfo entry says.
        for (sequence, key) in [("\u{1B}[1~", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END)] {
            define_key(sequence, key)
        }
        if has_colors() {
            start_color()
            // Keeps the terminal's own background and foreground for `default` in themes.
            use_default_colors()
            colorCount = Int(bakery_colors())
        }
    }

    public func stop() {
        guard window != nil else { return }
        if !isendwin() { endwin() }
        window = nil
        TerminalRestoration.uninstall()
    }

    public func draw(_ grid: Grid) {
        guard let window else { return }
        var fullRedraw = false
        if previous?.size != grid.size {
            wclear(window)
            fullRedraw = true
        }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                if !fullRedraw, let previous, previous[x, y] == cell { continue }
                put(cell, x: x, y: y, window: window)
                if !supportsUnicode, cell.width == 2 {
                    put(Cell("?", style: cell.style), x: x + 1, y: y, window: window)
                }
            }
        }
        previous = grid
        wnoutrefresh(window)
        doupdate()
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard let window else { return nil }
        wtimeout(window, Int32(timeoutMilliseconds))
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        if status == ERR { return nil }
        if status == KEY_CODE_YES {
            if Int32(character) == bakery_key_resize() {
                previous = nil
                return .resize(size)
            }
            if Int32(character) == bakery_key_mouse() { return Self.mouseEvent() }
            return Self.functionKey(Int32(character)).map(InputEvent.key)
        }
        return Self.characterKey(UInt32(character)).map(InputEvent.key)
    }

    /// Reads the pending mouse event; nil for what the console does not use (releases, other buttons).
    private static func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let at = Point(x: Int(event.x), y: Int(event.y))
        switch bakery_mouse_kind(event.bstate) {
        case 1: return .mouse(MouseEvent(.click, at: at))
        case 2: return .mouse(MouseEvent(.wheelUp, at: at))
        case 3: return .mouse(MouseEvent(.wheelDown, at: at))
        default: return nil
        }
    }

    private func put(_ cell: Cell, x: Int, y: Int, window: UnsafeMutablePointer<WINDOW>) {
        var attributes = bakery_a_normal()
        let style = cell.style
        if style.attributes.contains(.bold) { attributes |= bakery_a_bold() }
        if style.attributes.contains(.reverse) { attributes |= bakery_a_reverse() }
        if style.attributes.contains(.underline) { attributes |= bakery_a_underline() }
        if style.attributes.contains(.dim) { attributes |= bakery_a_dim() }
        let pair = colorPair(for: style)
        let text = supportsUnicode ? cell.grapheme : Self.asciiFallback(cell)
        var wide: [wchar_t] = text.unicodeScalars.prefix(Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        var complex = cchar_t()
        setcchar(&complex, wide, attributes, pair, nil)
        mvwadd_wch(window, Int32(y), Int32(x), &complex)
    }

    /// Allocates ncurses colour pairs on first use, so only combinations a theme actually draws take slots.
    private func colorPair(for style: Style) -> Int16 {
        guard colorCount > 0 else { return 0 }
        let key = ColorPairKey(
            foreground: style.foreground.number(forTerminalColors: colorCount),
            background: style.background.number(forTerminalColors: colorCount))
        if key.foreground == -1, key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        let next = pairs.count + 1
        guard next < Int(bakery_color_pairs()), next <= Int(Int16.max) else { return 0 }
        init_pair(Int16(next), Int16(key.foreground), Int16(key.background))
        pairs[key] = Int16(next)
        return Int16(next)
    }

    /// What a non-UTF-8 terminal gets for text the views write directly (dashes, dots, names): the common
    /// punctuation in ASCII, accented letters without their accents, anything else as `?` (``draw(_:)`` repeats it over a wide character's second cell so
    /// columns stay aligned). Borders and charts already use the ASCII glyph set there.
    static func asciiFallback(_ cell: Cell) -> String {
        if cell.grapheme.unicodeScalars.allSatisfy(\.isASCII) { return cell.grapheme }
        switch cell.grapheme {
        case "…": return "~"
        case "–", "—", "─": return "-"
        case "·": return "."
        case "×": return "x"
        case "›", "»": return ">"
        case "‹", "«": return "<"
        default:
            // Accented Latin letters keep their base letter, so "Skärgård Resor" reads "Skargard Resor", not "Sk?rg?rd".
            let folded = cell.grapheme.folding(options: .diacriticInsensitive, locale: nil)
            return folded.count == 1 && folded.unicodeScalars.allSatisfy(\.isASCII) ? folded : "?"
        }
    }

    /// Uses the operator's locale, falling back to C.UTF-8; reports whether the result is UTF-8.
    private static func selectUTF8Locale() -> Bool {
        setlocale(LC_ALL, "")
        if isUTF8Codeset() { return true }
        setlocale(LC_ALL, "C.UTF-8")
        return isUTF8Codeset()
    }

    private static func isUTF8Codeset() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}

private struct ColorPairKey: Hashable {
    var foreground: Int
    var background: Int
}

/// Why the terminal could not be taken over.
public enum NcursesDriverError: Error, CustomStringConvertible {
    case noTerminal

    public var description: String {
        "cannot open the terminal for the console; run it in an interactive terminal (TERM is set and stdout is a tty)"
    }
}
