/// A screen of the console (Clients, Client, Sync…). The app owns the header, footer, overlays and key dispatch;
/// a view draws its body and reacts to actions.
///
/// A data view keeps its store and its loaded data; ``load()`` runs off the input loop while the app shows
/// "loading…", so a slow store never freezes the screen.
///
/// ```swift
/// @MainActor final class AuditView: ConsoleView {
///     let title = "Audit"
///     let kind = "audit"
///     var entries: [AuditEntry] = []
///     func load() async throws { entries = try await store.auditLog(clientID: nil, limit: 500) }
///     func render(into grid: inout Grid, in rect: Rect, context: RenderContext) { … }
///     func handle(_ action: KeyAction) -> ViewAction { .none }
/// }
/// ```
@MainActor
public protocol ConsoleView: AnyObject {
    /// The breadcrumb: `Clients`, `acme`.
    var title: String { get }
    /// A stable name for key scopes and help sections: `clients`, `client`.
    var kind: String { get }
    /// This view's keys; they take precedence over the global map and appear in the footer and help.
    var keyBindings: [KeyBinding] { get }
    /// Whether `/` filters this view.
    var acceptsFilter: Bool { get }
    /// True while the view fetches more data itself (a table paging); the header shows the spinner.
    var isBusy: Bool { get }
    /// True while rows a key asked for are still being read (not counts or details loading beside them): what
    /// `scripts/bench-console` times a key until.
    var isFetchingRows: Bool { get }

    /// Fetches the view's data. Called when the view is pushed and on `r`; runs as a task on the main actor, so
    /// store calls (which are `async`) do not block input. A thrown error is shown in the footer and the body.
    func load() async throws
    /// Draws the body into `rect`; `context.loadState` says whether data is still loading.
    func render(into grid: inout Grid, in rect: Rect, context: RenderContext)
    /// Reacts to a key's action.
    func handle(_ action: KeyAction) -> ViewAction
    /// Applies the `/` filter text, live while it is typed.
    func applyFilter(_ text: String)
    /// What the footer shows before the `/` filter text: `/` unless the view says what it searches.
    var filterPrompt: String { get }
    /// A left click at `point` (screen cells) inside the body this view last drew.
    func click(at point: Point) -> ViewAction
    /// A job the operator started that is still running ("an upload"): while there is one the view cannot be
    /// left (it is cancelled from the view).
    var runningJob: String? { get }
    /// The view is closed: stop the reads it started, so none writes its result (or holds a core) afterwards.
    func stop()
}

extension ConsoleView {
    public var keyBindings: [KeyBinding] { [] }
    public var acceptsFilter: Bool { false }
    public var isBusy: Bool { false }
    public var isFetchingRows: Bool { isBusy }
    public func load() async throws {}
    public func applyFilter(_ text: String) {}
    public var filterPrompt: String { "/" }
    public func click(at point: Point) -> ViewAction { .none }
    public var runningJob: String? { nil }
    public func stop() {}
}

/// What a view asks the app to do after an action.
@MainActor
public enum ViewAction {
    case none
    /// Opens a view on top of this one.
    case push(any ConsoleView)
    /// Goes back one view.
    case pop
    /// Goes back to the first view (`:clients`).
    case popToRoot
    /// Goes back to the first view and opens this one on it: what a `:` command does, as in k9s.
    case switchTo(any ConsoleView)
    case message(ConsoleMessage)
    /// Asks first; runs `then` only when the operator confirms.
    case confirm(ConfirmationDialog, then: @MainActor () -> ViewAction)
    /// Asks for values; runs `then` with them when the form is accepted.
    case form(FormDialog, then: @MainActor ([String]) -> ViewAction)
    case quit
}
