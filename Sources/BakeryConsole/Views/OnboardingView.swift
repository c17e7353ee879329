import BakeryCore
import Foundation

/// Onboarding a CRM file from the console: pick the client and a file (from the uploads folder or the drop zone's
/// inbox), see how its columns are read and a few rows normalised and hashed with their values masked, choose the
/// mode, dry-run it for the validation report and the match-rate impact, then apply it with a progress bar that can
/// be cancelled (nothing of a cancelled upload is stored), and read the result.
@MainActor
public final class OnboardingView: ConsoleView {
    public let kind = "onboard"
    public let title = "onboard"
    let environment: ConsoleEnvironment
    private(set) var step: Step
    private(set) var clients: [Client] = []
    var clientSelection = ListSelection()
    private(set) var client: Client?
    /// The client came with the view (from the Client view): it is not asked for.
    private let clientIsFixed: Bool
    private(set) var tab = Tab.files
    let browser: FileBrowser
    private(set) var inbox: [InboxFile] = []
    /// The drop zones the inbox lists, by location.
    private var inboxZones: [String: DropZone] = [:]
    /// The local drop zone's location, when one is set.
    var localInbox: String? { environment.folders.dropZone.map { LocalFolder(root: $0).uri } }
    /// How many intake locations the inbox looked at.
    private(set) var inboxLocations = 0
    /// Locations the inbox could not read, with why.
    private(set) var inboxProblems: [String] = []
    /// A private folder holding a remote drop-zone file's copy while it is previewed and dry-run.
    private var fetchedFolder: URL?
    var inboxSelection = ListSelection()
    private(set) var picked: Picked?
    private(set) var mode = UpdateMode.add
    let preview: BackgroundLoad<CRMFilePreview>
    /// The dry run or upload running now.
    private var job: Task<Void, Never>?
    private(set) var running: Running?
    /// The last dry run of the picked file and mode.
    private(set) var dryRun: OnboardingSummary?
    private(set) var outcome: Outcome?
    /// Where the last frame drew the list and the tabs, for mouse clicks.
    var listRect = Rect(x: 0, y: 0, width: 0, height: 0)
    var tabsRect = Rect(x: 0, y: 0, width: 0, height: 0)

    public enum Step: Equatable { case client, file, review, running, done }
    public enum Tab: Equatable { case files, dropZone }

    /// A file chosen for upload; drop-zone files know their client and mode from their path.
    struct Picked: Equatable {
        /// The file, or where a remote file's private copy is fetched to.
        var url: URL
        var dropZone: DropZoneFile?
        /// The drop zone's location (``FileSource/uri``), for a drop-zone file.
        var location: String?
    }

    /// A file waiting in a drop zone's `onboard/` folder: the local one or a client's intake location.
    struct InboxFile: Equatable {
        var file: DropZoneFile
        var stored: StoredFile
        /// The drop zone's location (``FileSource/uri``).
        var location: String
        /// The client its audience id names, if any.
        var clientID: String?
        var bytes: Int { stored.size }
    }

    struct Running {
        var dryRun: Bool
        var started: ContinuousClock.Instant
        var progress = OnboardingProgress(fraction: 0, rows: 0)
        var cancelling = false
    }

    /// How the last upload ended.
    enum Outcome {
        case applied(OnboardingSummary, disposition: String?)
        case failed(String)
        case cancelled
    }

    /// - Parameter client: when given (from the Client view), the upload is for this client and the view starts at
    ///   the file.
    public init(environment: ConsoleEnvironment, client: Client? = nil) {
        self.environment = environment
        self.client = client
        clientIsFixed = client != nil
        step = client == nil ? .client : .file
        browser = FileBrowser(root: environment.folders.uploads)
        preview = BackgroundLoad(environment, what: "read the start of a CRM file")
    }

    public var isBusy: Bool { preview.isRunning || job != nil }
    public var runningJob: String? { job == nil ? nil : running?.dryRun == true ? "a dry run" : "an upload" }
    public func stop() {
        preview.reset()
        discardFetched()
    }

    public func load() async throws {
        clients = try await environment.store.clients()
        browser.refresh()
        try await loadInbox()
    }

    /// The local drop zone's files, then each intake location's; a location that cannot be reached is named in
    /// ``inboxProblems`` and the others are still listed.
    private func loadInbox() async throws {
        var zones: [DropZone] = []
        if let root = environment.folders.dropZone {
            zones.append(DropZone(root: root, store: environment.store, actor: environment.actor))
        }
        var problems: [String] = []
        for location in try await environment.store.storageLocations(clientID: nil) where location.role == .intake {
            do {
                zones.append(
                    DropZone(
                        source: try environment.storage.source(for: location), store: environment.store,
                        actor: environment.actor, owner: location.clientID))
            } catch {
                problems.append("\(location.address): \(error.localizedDescription)")
            }
        }
        var files: [InboxFile] = []
        for zone in zones {
            do {
                for (key, stored) in try await zone.waiting().sorted(by: { $0.key < $1.key }) {
                    guard case .success(let file) = DropZoneFile.parse(relativePath: key) else { continue }
                    let owner = try await environment.store.client(audience: file.audience)
                    files.append(InboxFile(file: file, stored: stored, location: zone.source.uri, clientID: owner?.id))
                }
            } catch {
                problems.append("\(zone.source.uri): \(error.localizedDescription)")
            }
        }
        inboxLocations = zones.count - (environment.folders.dropZone == nil ? 0 : 1)
        inboxZones = Dictionary(zones.map { ($0.source.uri, $0) }, uniquingKeysWith: { first, _ in first })
        inbox = files
        inboxProblems = problems
        inboxSelection.clamp(count: files.count)
    }

    // MARK: Keys

    public var keyBindings: [KeyBinding] {
        let scope = KeyScope.view(kind)
        switch step {
        case .client:
            return [KeyBinding([.enter], .open, shortName: "choose", description: "Upload for the selected client", scope: scope)]
        case .file:
            var bindings = [
                KeyBinding([.enter], .open, shortName: "open", description: "Open the folder, or pick the file", scope: scope),
                KeyBinding(
                    [.tab], .custom("tab"), shortName: tab == .files ? "drop zone" : "files",
                    description: "Switch between the uploads folder and the drop zone's inbox", scope: scope),
                KeyBinding(
                    [.backspace], .custom("up"), shortName: "up", description: "Go up a folder", scope: scope),
            ]
            if !clientIsFixed {
                bindings.append(KeyBinding([.character("c")], .custom("client"), shortName: "client",
                    description: "Choose another client", scope: scope))
            }
            return bindings
        case .review:
            var bindings = [
                KeyBinding(
                    [.character("d")], .custom("dry"), shortName: "dry run",
                    description: "Dry run: validation report and match-rate impact, nothing stored", scope: scope,
                    requires: .preview),
                KeyBinding(
                    [.character("u")], .custom("apply"), shortName: "upload",
                    description: "Apply the file to the client's records (asks first)", scope: scope, requires: .upload),
                KeyBinding(
                    [.character("f")], .custom("file"), shortName: "file", description: "Pick another file", scope: scope),
            ]
            if picked?.dropZone == nil {
                bindings.insert(
                    KeyBinding([.character("m")], .custom("mode"), shortName: "mode: \(mode.rawValue)",
                        description: "Change the mode: add, remove or replace", scope: scope), at: 0)
            }
            return bindings
        case .running:
            return [
                KeyBinding(
                    [.character("c"), .escape, .character("q")], .custom("cancel"), shortName: "cancel",
                    description: "Cancel (asks first): nothing of the upload is stored", scope: scope)
            ]
        case .done:
            var bindings = [
                KeyBinding([.character("f")], .custom("file"), shortName: "next file", description: "Upload another file", scope: scope)
            ]
            if plainFileLeft {
                bindings.append(KeyBinding(
                    [.character("D")], .custom("delete"), shortName: "delete file",
                    description: "Delete the uploaded file, which holds plain personal data", scope: scope,
                    requires: .upload))
            }
            return bindings
        }
    }

    /// The applied file is still where it was and holds plain values: the operator should delete it.
    var plainFileLeft: Bool {
        guard case .applied(let summary, _) = outcome, let picked, picked.dropZone == nil, !summary.dryRun else {
            return false
        }
        return !summary.hashedOnly && FileManager.default.fileExists(atPath: picked.url.path)
    }

    public func handle(_ action: KeyAction) -> ViewAction {
        switch (step, action) {
        case (.client, .up): clientSelection.move(by: -1, count: clients.count)
        case (.client, .down): clientSelection.move(by: 1, count: clients.count)
        case (.client, .open):
            guard clients.indices.contains(clientSelection.index) else { return .none }
            client = clients[clientSelection.index]
            step = .file
        case (.file, .up): moveFile(by: -1)
        case (.file, .down): moveFile(by: 1)
        case (.file, .pageUp): moveFile(by: -10)
        case (.file, .pageDown): moveFile(by: 10)
        case (.file, .custom("tab")): tab = tab == .files ? .dropZone : .files
        case (.file, .custom("up")), (.file, .left): if tab == .files { browser.up() }
        case (.file, .custom("client")):
            step = .client
        case (.file, .open), (.file, .right): return pickFile()
        case (.review, .custom("mode")):
            let modes = UpdateMode.allCases
            mode = modes[(modes.firstIndex(of: mode)! + 1) % modes.count]
            dryRun = nil
        case (.review, .custom("dry")): start(dryRun: true)
        case (.review, .custom("apply")): return confirmApply()
        case (.review, .custom("file")), (.done, .custom("file")): return backToFiles()
        case (.running, .custom("cancel")): return confirmCancel()
        case (.done, .custom("delete")): return confirmDelete()
        default: break
        }
        return .none
    }

    public func click(at point: Point) -> ViewAction {
        if step == .file, tabsRect.contains(x: point.x, y: point.y),
            let index = TabBar.index(at: point.x, in: tabsRect, titles: tabTitles)
        {
            tab = index == 0 ? .files : .dropZone
            return .none
        }
        guard listRect.contains(x: point.x, y: point.y), point.y > listRect.y else { return .none }
        let line = point.y - listRect.y - 1
        switch step {
        case .client: clientSelection.click(line: line, height: listRect.height, count: clients.count)
        case .file where tab == .files:
            browser.selection.click(line: line, height: listRect.height, count: browser.entries.count)
        case .file: inboxSelection.click(line: line, height: listRect.height, count: inbox.count)
        default: break
        }
        return .none
    }

    private func moveFile(by delta: Int) {
        if tab == .files {
            browser.selection.move(by: delta, count: browser.entries.count)
        } else {
            inboxSelection.move(by: delta, count: inbox.count)
        }
    }

    private func pickFile() -> ViewAction {
        switch tab {
        case .files:
            guard let url = browser.open() else { return .none }
            return pick(Picked(url: url, dropZone: nil))
        case .dropZone:
            guard inbox.indices.contains(inboxSelection.index) else { return .none }
            let waiting = inbox[inboxSelection.index]
            guard let zone = inboxZones[waiting.location] else { return .none }
            guard let owner = waiting.clientID.flatMap({ id in clients.first { $0.id == id } }) else {
                return .message(ConsoleMessage(
                    "no client has audience id '\(waiting.file.audience)'; set it with `bakery client add … --audience`",
                    isError: true))
            }
            client = owner
            mode = waiting.file.mode
            if let root = zone.root {
                return pick(
                    Picked(
                        url: root.appendingPathComponent(waiting.file.relativePath), dropZone: waiting.file,
                        location: waiting.location))
            }
            return pickRemote(waiting, from: zone)
        }
    }

    /// A file at a remote location is previewed and dry-run on a private copy, fetched first; the upload itself
    /// fetches it again through the drop zone.
    private func pickRemote(_ waiting: InboxFile, from zone: DropZone) -> ViewAction {
        guard let client else { return .none }
        discardFetched()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-console-\(UUID().uuidString)")
        fetchedFolder = folder
        let key = waiting.file.relativePath
        picked = Picked(url: folder.appendingPathComponent(URL(fileURLWithPath: key).lastPathComponent), dropZone: waiting.file, location: waiting.location)
        dryRun = nil
        outcome = nil
        step = .review
        let onboarding = Onboarding(store: environment.store)
        let (id, actor, source) = (client.id, environment.actor, zone.source)
        preview.start {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let fetched = try await source.fetch(key, into: folder)
            return try await onboarding.preview(fetched.url, clientID: id, by: actor)
        }
        return .none
    }

    private func discardFetched() {
        if let fetchedFolder { try? FileManager.default.removeItem(at: fetchedFolder) }
        fetchedFolder = nil
    }

    private func pick(_ file: Picked) -> ViewAction {
        guard let client else { return .none }
        picked = file
        dryRun = nil
        outcome = nil
        step = .review
        let onboarding = Onboarding(store: environment.store)
        let (url, id, actor) = (file.url, client.id, environment.actor)
        preview.start { try await onboarding.preview(url, clientID: id, by: actor) }
        return .none
    }

    private func backToFiles() -> ViewAction {
        step = .file
        picked = nil
        dryRun = nil
        preview.reset()
        browser.refresh()
        Task { [weak self] in try? await self?.loadInbox() }
        return .none
    }

    private func confirmApply() -> ViewAction {
        guard let client, let picked else { return .none }
        let name = picked.url.lastPathComponent
        if mode == .replace {
            let id = client.id
            let form = FormDialog(
                title: "Replace \(id)'s records",
                message: "\(name) becomes \(id)'s whole record set: every active record not in it is removed. Type the "
                    + "client id to confirm.",
                fields: [.init("client id")]
            ) { values in values[0] == id ? nil : "type \(id) exactly to replace its records" }
            return .form(form) { [weak self] _ in
                self?.start(dryRun: false)
                return .none
            }
        }
        let what = mode == .add ? "Add the records of \(name) to \(client.id)" : "Remove the records \(name) names from \(client.id)"
        let dialog = ConfirmationDialog(
            title: "Upload \(name)", message: "\(what)? It applies whole or not at all, and is written to the audit log.",
            confirmLabel: "Upload")
        return .confirm(dialog) { [weak self] in
            self?.start(dryRun: false)
            return .none
        }
    }

    private func confirmCancel() -> ViewAction {
        let what = running?.dryRun == true ? "dry run" : "upload"
        let dialog = ConfirmationDialog(
            title: "Cancel the \(what)",
            message: "Stop reading? Nothing of the \(what) is stored: the client's records stay exactly as they were.",
            confirmLabel: "Stop it")
        return .confirm(dialog) { [weak self] in
            self?.running?.cancelling = true
            self?.job?.cancel()
            return .message(ConsoleMessage("cancelling…"))
        }
    }

    private func confirmDelete() -> ViewAction {
        guard let picked else { return .none }
        let dialog = ConfirmationDialog(
            title: "Delete \(picked.url.lastPathComponent)",
            message: "Delete \(picked.url.path)? Its hashes are stored; the file itself holds plain personal data.",
            confirmLabel: "Delete")
        guard let client else { return .none }
        let onboarding = Onboarding(store: environment.store)
        let (environment, actor) = (environment, environment.actor)
        return .confirm(dialog) {
            Task {
                do {
                    try await onboarding.deleteUploadedFile(picked.url, clientID: client.id, by: actor)
                    environment.post(ConsoleMessage("deleted \(picked.url.lastPathComponent)"))
                } catch {
                    let message = (error as? BakeryError)?.localizedDescription ?? "\(error)"
                    environment.post(ConsoleMessage("could not delete it: \(message)", isError: true))
                }
            }
            return .message(ConsoleMessage("deleting \(picked.url.lastPathComponent)…"))
        }
    }

    // MARK: Running

    /// Starts the dry run or the upload in the background; the view keeps drawing its progress.
    private func start(dryRun: Bool) {
        guard let client, let picked, job == nil else { return }
        running = Running(dryRun: dryRun, started: .now)
        step = .running
        let onboarding = Onboarding(store: environment.store)
        let request = OnboardingRequest(
            clientID: client.id, file: picked.url, mode: mode, source: .console, actor: environment.actor,
            dryRun: dryRun, measuresMatches: true,
            // A drop-zone file's report would land in the inbox the watcher polls: its rejected rows are on screen.
            report: picked.dropZone == nil ? OnboardingRequest.reportBeside(picked.url) : nil)
        let zone = picked.location.flatMap { inboxZones[$0] }
        let update: @Sendable (OnboardingProgress) -> Void = { [weak self] progress in
            Task { @MainActor in self?.running?.progress = progress }
        }
        job = Task { [weak self] in
            let result: Result<(OnboardingSummary, String?), any Error>
            do {
                if !dryRun, let file = picked.dropZone, let zone {
                    let (receipt, summary) = await zone.apply(file, measuresMatches: true, progress: update)
                    if receipt.disposition == .kept, receipt.error == "cancelled" { throw CancellationError() }
                    guard let summary else { throw BakeryError.invalidInput(receipt.error ?? "the upload failed") }
                    result = .success((summary, "the file was \(receipt.disposition == .deleted ? "deleted" : "moved to processed/")"))
                } else {
                    result = .success((try await onboarding.run(request, progress: update), nil))
                }
            } catch {
                result = .failure(error)
            }
            self?.finish(result, dryRun: dryRun)
        }
    }

    private func finish(_ result: Result<(OnboardingSummary, String?), any Error>, dryRun wasDry: Bool) {
        job = nil
        running = nil
        switch result {
        case .success(let (summary, disposition)):
            if wasDry {
                dryRun = summary
                step = .review
                environment.post(ConsoleMessage("dry run: \(Figures.grouped(summary.accepted)) accepted, nothing stored"))
            } else {
                outcome = .applied(summary, disposition: disposition)
                step = .done
                environment.post(ConsoleMessage("uploaded: records \(Figures.grouped(summary.recordsBefore)) → \(Figures.grouped(summary.recordsAfter))"))
            }
        case .failure(let error) where error is CancellationError:
            outcome = .cancelled
            step = wasDry ? .review : .done
            environment.post(ConsoleMessage("cancelled: nothing was stored"))
        case .failure(let error):
            let message = (error as? BakeryError)?.localizedDescription ?? "\(error)"
            outcome = .failed(message)
            step = wasDry ? .review : .done
            environment.post(ConsoleMessage("\(wasDry ? "dry run" : "upload") failed: \(message)", isError: true))
        }
        environment.setNeedsDisplay()
    }
}
