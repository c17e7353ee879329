/// A colour as a theme names it and a terminal draws it.
///
/// Themes speak in the terminal's own vocabulary (the 16 ANSI colours, `default`) so they keep working on any
/// emulator and colour scheme; an xterm-256 index is allowed for palettes such as Okabe-Ito that need exact hues,
/// and it degrades to the nearest ANSI colour on terminals with fewer colours.
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's own foreground or background; keeping it is what makes a theme feel native.
    case terminalDefault
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright).
    case ansi(UInt8)
    /// An xterm-256 palette index (16-255).
    case indexed(UInt8)

    /// The ANSI names, in palette order.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
        "bright-white",
    ]

    /// Parses `default`, an ANSI name (`red`, `bright-blue`; `grey`/`gray` mean bright black) or an index `0`-`255`.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "default" {
            self = .terminalDefault
        } else if lowered == "grey" || lowered == "gray" {
            self = .ansi(8)
        } else if let index = TerminalColor.ansiNames.firstIndex(of: lowered) {
            self = .ansi(UInt8(index))
        } else if let number = Int(lowered), (0...255).contains(number) {
            self = number < 16 ? .ansi(UInt8(number)) : .indexed(UInt8(number))
        } else {
            return nil
        }
    }

    /// The name a theme file would use for this colour.
    public var name: String {
        switch self {
        case .terminalDefault: "default"
        case .ansi(let index): TerminalColor.ansiNames[Int(index)]
        case .indexed(let index): String(index)
        }
    }

    /// The colour number for a terminal with `colors` colours: -1 keeps the terminal's own colour.
    public func number(forTerminalColors colors: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .ansi(let index):
            return Int(index) < colors ? Int(index) : Int(index) % 8
        case .indexed(let index):
            return Int(index) < colors ? Int(index) : TerminalColor.nearestANSI(toIndex: Int(index))
        }
    }

    /// Maps an xterm-256 index to the closest of the 8 basic colours, by thresholding each RGB channel.
    static func nearestANSI(toIndex index: Int) -> Int {
        let (r, g, b): (Int, Int, Int)
        if index >= 232 {
            let level = 8 + (index - 232) * 10
            (r, g, b) = (level, level, level)
        } else {
            let cube = index - 16
            let steps = [0, 95, 135, 175, 215, 255]
            (r, g, b) = (steps[cube / 36], steps[cube / 6 % 6], steps[cube % 6])
        }
        return (r > 127 ? 1 : 0) | (g > 127 ? 2 : 0) | (b > 127 ? 4 : 0)
    }
}
