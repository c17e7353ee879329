/// The boundary between the console and a real terminal: it reports the size, paints a finished grid and reads
/// input. Everything above it renders into a ``Grid``, so a test can stand in for the terminal with a scripted
/// driver.
@MainActor
public protocol TerminalDriver: AnyObject {
    /// The current terminal size.
    var size: Size { get }
    /// Colours the terminal can show; 0 means attributes only, and the app switches to the monochrome theme.
    var colorCount: Int { get }
    /// False when the locale cannot show box drawing and block characters; the app then uses ASCII glyphs.
    var supportsUnicode: Bool { get }

    /// Takes over the terminal (alternate screen, raw keys). Called once before the first draw.
    func start() throws
    /// Gives the terminal back exactly as it was. Safe to call more than once.
    func stop()
    /// Shows `grid`; only cells that changed since the last draw need to be sent.
    func draw(_ grid: Grid)
    /// Waits at most `timeoutMilliseconds` for input; nil when none arrived, so the app can apply finished
    /// background loads and animate without a second thread touching the terminal.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
}
