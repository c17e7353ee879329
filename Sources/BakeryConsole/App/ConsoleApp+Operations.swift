import BakeryCore
import Foundation

extension ConsoleApp {
    /// The operations console over a store: Clients as the first view and every operator view behind it, with the
    /// `:clients`, `:client ID`, `:sync ID`, `:exports [ID]`, `:onboard [ID]` and `:audit [ID]` commands. This is what
    /// `bakery console` runs.
    ///
    /// ```swift
    /// let environment = ConsoleEnvironment(store: store, actor: anna, folders: folders, log: log)
    /// let app = ConsoleApp(environment: environment, theme: theme, themes: ThemeCatalog.locate(), database: path)
    /// try await app.run(driver: NcursesDriver())
    /// ```
    public convenience init(
        environment: ConsoleEnvironment, theme: Theme, themes: ThemeCatalog?, database: String,
        timings: ConsoleTimings? = nil
    ) {
        let clients = ClientsView(environment: environment)
        let ids: @MainActor @Sendable () -> [String] = { clients.clients.keys.sorted() }
        /// The client an argument names, or the message why not.
        let named: @MainActor @Sendable (String?, String) -> Named = { id, usage in
            guard let id else { return .failure(ConsoleMessage("usage: \(usage) (Tab lists clients)", isError: true)) }
            guard let client = clients.clients[id] else {
                return .failure(ConsoleMessage("no client with id '\(id)'", isError: true))
            }
            return .success(client)
        }
        /// A view of one client, or of all when no argument is given.
        func optional(_ arguments: [String], _ make: (Client?) -> any ConsoleView) -> ViewAction {
            guard let id = arguments.first else { return .switchTo(make(nil)) }
            switch named(id, "") {
            case .success(let client): return .switchTo(make(client))
            case .failure(let message): return .message(message)
            }
        }
        let commands = [
            ConsoleCommand(name: "clients", summary: "Go to the client list") { _ in .popToRoot },
            ConsoleCommand(
                name: "client", argumentHint: "ID", summary: "Open a client by id", completions: ids,
                run: { arguments in
                    switch named(arguments.first, ":client ID") {
                    case .success(let client): .switchTo(ClientView(environment: environment, client: client))
                    case .failure(let message): .message(message)
                    }
                }),
            ConsoleCommand(
                name: "sync", argumentHint: "ID", summary: "A client's cookie-sync pairs, with lineage", completions: ids,
                run: { arguments in
                    switch named(arguments.first, ":sync ID") {
                    case .success(let client): .switchTo(SyncTableView(environment: environment, client: client))
                    case .failure(let message): .message(message)
                    }
                }),
            ConsoleCommand(
                name: "exports", argumentHint: "[ID]", summary: "Export history, preview, diff, run now",
                completions: ids,
                run: { arguments in optional(arguments) { ExportsView(environment: environment, client: $0) } }),
            ConsoleCommand(
                name: "onboard", argumentHint: "[ID]", summary: "Upload a CRM file: dry run, impact, apply",
                completions: ids,
                run: { arguments in optional(arguments) { OnboardingView(environment: environment, client: $0) } }),
            ConsoleCommand(
                name: "audit", argumentHint: "[ID]", summary: "Who did what, when, with what outcome",
                completions: ids,
                run: { arguments in
                    optional(arguments) { AuditView(environment: environment, query: AuditQuery(clientID: $0?.id)) }
                }),
        ]
        self.init(
            root: clients, environment: environment, theme: theme, themes: themes, database: database,
            commands: commands, timings: timings)
    }
}

/// A `:` command's client argument, resolved.
private enum Named {
    case success(Client)
    case failure(ConsoleMessage)
}
