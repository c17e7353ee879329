import BakeryCore

/// The console shell: a stack of views under a header and footer, the key map, the `:` command line, the `/`
/// filter, the `?` help, themes, and background loading.
///
/// It renders into a ``Grid`` and talks to the terminal only through a ``TerminalDriver``, so tests drive it with
/// ``send(_:)`` and ``render(size:)`` and no terminal at all.
///
/// ```swift
/// let environment = ConsoleEnvironment(store: store, actor: anna)
/// let app = ConsoleApp(root: ClientsView(environment: environment), environment: environment, theme: theme,
///                      themes: ThemeCatalog.locate(), database: "bakery.sqlite", commands: commands)
/// try await app.run(driver: NcursesDriver())
/// ```
@MainActor
public final class ConsoleApp: ConsoleHost {
    /// Below this size the console shows how large it needs to be instead of a cramped screen.
    public static let minimumSize = Size(width: 80, height: 24)

    public internal(set) var stack: [any ConsoleView]
    public internal(set) var theme: Theme
    public internal(set) var message: ConsoleMessage?
    public internal(set) var isFinished = false
    let themes: ThemeCatalog?
    let database: String
    /// The store, the operator and the rest every view shares.
    public let environment: ConsoleEnvironment
    let commands: [ConsoleCommand]
    let timings: ConsoleTimings?
    /// Background work changed a view: draw again even though no key arrived.
    var needsDisplay = false
    var mode = Mode.normal
    var forceASCII = false
    /// Set by ``run(driver:)``: a terminal without colours stays monochrome whatever `:theme` asks for.
    var terminalHasColor = true
    var frame = 0
    var filters: [ObjectIdentifier: String] = [:]
    var loads: [ObjectIdentifier: Task<Void, Never>] = [:]
    var loadStates: [ObjectIdentifier: LoadState] = [:]
    /// The pushed view whose time until every figure is in (loaded and not busy) the timings still wait for.
    var settling: (view: ObjectIdentifier, kind: String, since: ContinuousClock.Instant)?

    /// What the last frame showed, beyond the view's own data: a change means drawing again.
    struct Shown: Equatable {
        var loadState: LoadState
        var busy: Bool
        var frame: Int
        var depth: Int
    }

    /// What keys go to right now.
    enum Mode {
        case normal
        case command(CommandPrompt)
        case filter(TextInput)
        case help(HelpOverlay)
        case confirm(ConfirmationDialog, then: @MainActor () -> ViewAction)
        case form(FormDialog, then: @MainActor ([String]) -> ViewAction)
    }

    /// - Parameters:
    ///   - root: the first view (Clients); `q` on it quits.
    ///   - environment: the store, the operator (shown in the header) and the log; the app becomes its host.
    ///   - theme: the starting theme (see ``ThemeSelection``).
    ///   - themes: where `:theme NAME` loads from; nil disables the command.
    ///   - database: shown in the header.
    ///   - commands: the data views' `:` commands; `:theme`, `:help` and `:q` are built in.
    ///   - timings: records frame and key timings for the benchmark; nil in normal use.
    public init(
        root: any ConsoleView, environment: ConsoleEnvironment, theme: Theme, themes: ThemeCatalog?,
        database: String, commands: [ConsoleCommand] = [], timings: ConsoleTimings? = nil
    ) {
        stack = [root]
        self.environment = environment
        self.theme = theme
        self.themes = themes
        self.database = database
        self.commands = commands
        self.timings = timings
        environment.host = self
        startLoad(root)
    }

    /// Who is at the keyboard, in which role: the header shows it, views disable what it may not do, and the core
    /// refuses it anyway.
    public var actor: Operator { environment.actor }

    /// Where load failures and other events go; the screen never shows log output.
    var log: ConsoleLog? { environment.log }

    func setNeedsDisplay() { needsDisplay = true }

    func show(_ message: ConsoleMessage) {
        self.message = message
        needsDisplay = true
    }

    /// The view on top of the stack.
    public var current: any ConsoleView { stack[stack.count - 1] }

    /// Runs until the operator quits; the terminal is restored on every way out, including a thrown error.
    public func run(driver: any TerminalDriver) async throws {
        try driver.start()
        defer {
            driver.stop()
            timings?.finish()
        }
        terminalHasColor = driver.colorCount > 0
        if !terminalHasColor { theme = (try? themes?.load(named: "monochrome")) ?? .monochromeFallback }
        forceASCII = !driver.supportsUnicode
        log?.write(
            "console started: database \(database), theme \(theme.name), \(driver.size.width)x\(driver.size.height), "
                + "\(driver.colorCount) colours, \(forceASCII ? "ASCII" : "Unicode")")
        var dirty = true
        var shown: Shown?
        var keyArrived: ContinuousClock.Instant?
        /// A key whose rows are still on their way: timed until the frame that shows them.
        var keyPending: (label: String, since: ContinuousClock.Instant)?
        let started = ContinuousClock.now
        while !isFinished {
            let busy = isBusy
            let now = Shown(loadState: loadState(of: current), busy: busy, frame: frame, depth: stack.count)
            if dirty || needsDisplay || now != shown {
                needsDisplay = false
                driver.draw(render(size: driver.size))
                if let timings {
                    timings.frameDrawn(full: now.loadState == .loaded, settled: !busy)
                    if let keyArrived { timings.keyRedrawn(since: keyArrived) }
                    if let pending = keyPending, now.loadState == .loaded, !current.isFetchingRows {
                        timings.keySettled(current.kind, pending.label, since: pending.since)
                        keyPending = nil
                    }
                    if let settling, settling.view == ObjectIdentifier(current), now.loadState == .loaded, !busy {
                        timings.viewSettled(settling.kind, since: settling.since)
                        self.settling = nil
                    }
                }
                keyArrived = nil
                shown = now
            }
            dirty = false
            // While something loads, poll often so finished work shows at once (the spinner still turns every
            // 80 ms); otherwise a longer wait keeps an idle console idle. All on one thread, so ncurses stays safe.
            if let event = driver.nextEvent(timeoutMilliseconds: busy ? 5 : 200) {
                switch event {
                case .key(let key):
                    keyArrived = .now
                    if timings != nil {
                        let label: String = if case .filter = mode { "search" } else { key.description }
                        keyPending = (label, .now)
                    }
                    send(key)
                case .mouse(let mouse):
                    keyArrived = .now
                    send(mouse, size: driver.size)
                case .resize: break
                }
                dirty = true
            } else if busy {
                frame = Int(started.duration(to: .now) / .milliseconds(80))
            }
            await Task.yield()
        }
    }

    /// True while the current view loads or pages.
    public var isBusy: Bool { loadState(of: current) == .loading || current.isBusy }

    /// Waits until every load and every page fetch in flight has finished; tests call it after keys that load data.
    public func settle() async {
        for _ in 0..<2000 {
            let pending = Array(loads.values)
            for task in pending { await task.value }
            if loads.isEmpty, !stack.contains(where: \.isBusy) { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    func loadState(of view: any ConsoleView) -> LoadState { loadStates[ObjectIdentifier(view)] ?? .loaded }

    /// Starts (or restarts) a view's load as a task; the view shows "loading…" until it ends.
    func startLoad(_ view: any ConsoleView) {
        let id = ObjectIdentifier(view)
        loads[id]?.cancel()
        loadStates[id] = .loading
        let started = ContinuousClock.now
        loads[id] = Task { [weak self, view] in
            let outcome: LoadState
            do {
                try await view.load()
                outcome = .loaded
            } catch is CancellationError {
                return
            } catch {
                outcome = .failed("\(error)")
            }
            guard let self, !Task.isCancelled else { return }
            self.loads[id] = nil
            self.loadStates[id] = outcome
            self.timings?.viewLoaded(view.kind, since: started)
            if case .failed(let text) = outcome {
                self.log?.write("could not load \(view.title): \(text)")
                self.message = ConsoleMessage("could not load \(view.title): \(text)", isError: true)
            }
        }
    }

    func push(_ view: any ConsoleView) {
        // The last message was about the view being left.
        message = nil
        stack.append(view)
        startLoad(view)
        if timings != nil { settling = (ObjectIdentifier(view), view.kind, .now) }
    }

    /// Goes back to the view at `depth` (0: Clients), unless a view above it runs a job the operator started: then
    /// the footer says so and nothing closes, as leaving would hide an upload or export that can no longer be
    /// cancelled. Returns whether it went back.
    @discardableResult
    func leave(to depth: Int) -> Bool {
        let target = max(0, depth)
        if let busy = stack.dropFirst(target + 1).first(where: { $0.runningJob != nil }), let job = busy.runningJob {
            setMessage("\(job) is running in \(busy.title): wait for it, or cancel it there first", isError: true)
            return false
        }
        while stack.count > target + 1 { pop() }
        return true
    }

    func pop() {
        guard stack.count > 1 else { return }
        let view = stack.removeLast()
        view.stop()
        message = nil
        let id = ObjectIdentifier(view)
        loads.removeValue(forKey: id)?.cancel()
        loadStates[id] = nil
        filters[id] = nil
    }

    func setMessage(_ text: String, isError: Bool = false) { message = ConsoleMessage(text, isError: isError) }

    func finish() { isFinished = true }

    func switchTheme(to name: String) {
        guard terminalHasColor else {
            setMessage("this terminal shows no colours; staying on the monochrome theme", isError: true)
            return
        }
        guard let themes else {
            setMessage("no themes folder found; set BAKERY_THEMES", isError: true)
            return
        }
        do {
            theme = try themes.load(named: name)
            setMessage("theme: \(theme.name)")
        } catch {
            setMessage("\(error)", isError: true)
        }
    }
}
