import BakeryCore
import Foundation

extension ConsoleApp {
    /// The operations console over a store: Clients as the first view, Client on Enter, and the `:clients` and
    /// `:client ID` commands. This is what `bakery console` runs.
    ///
    /// ```swift
    /// let app = ConsoleApp(store: store, theme: theme, themes: ThemeCatalog.locate(), database: path, actor: anna)
    /// try await app.run(driver: NcursesDriver())
    /// ```
    public convenience init(
        store: any Store, theme: Theme, themes: ThemeCatalog?, database: String, actor: Operator,
        now: @escaping @Sendable () -> Date = Date.init, log: ConsoleLog? = nil, timings: ConsoleTimings? = nil
    ) {
        let clients = ClientsView(store: store, now: now, log: log)
        let commands = [
            ConsoleCommand(name: "clients", summary: "Go to the client list") { _ in .popToRoot },
            ConsoleCommand(
                name: "client", argumentHint: "ID", summary: "Open a client by id",
                completions: { clients.clients.keys.sorted() },
                run: { arguments in
                    guard let id = arguments.first else {
                        return .message(ConsoleMessage("usage: :client ID (Tab lists clients)", isError: true))
                    }
                    guard let client = clients.clients[id] else {
                        return .message(ConsoleMessage("no client with id '\(id)'", isError: true))
                    }
                    return .push(ClientView(store: store, client: client, now: now, log: log))
                }),
        ]
        self.init(
            root: clients, theme: theme, themes: themes, database: database, actor: actor, commands: commands, log: log,
            timings: timings)
    }
}
