import BakeryConsole
import BakeryCore
import BakerySQLite
import Foundation
import Testing

/// The CLI and the console on one database: every figure both show reads the same.
@MainActor
@Suite("CLI and console agree")
struct ConsoleAgreementTests {
    /// The console on `database`, settled, with `:client ID` (or nothing) typed.
    func console(_ database: String, command: String? = nil) async throws -> ConsoleApp {
        let store = try SQLiteStore(path: database, mode: .existing)
        let app = ConsoleApp(
            environment: ConsoleEnvironment(store: store, actor: Operator(name: "t", role: .viewer)),
            theme: .builtIn, themes: nil, database: database)
        await app.settle()
        if let command {
            app.send(.character(":"))
            for character in command { app.send(.character(character)) }
            app.send(.enter)
            await app.settle()
        }
        return app
    }

    @Test func theClientViewShowsTheFiguresOfBakeryStats() async throws {
        let bakery = try BakeryRunner()
        #expect(try bakery.run(["demo", "--clients", "3", "--records", "4000"]).status == 0)
        // After the nightly snapshot the figures move: the console must show today's, as `stats` does.
        let file = bakery.folder.appendingPathComponent("more.csv")
        try ("email\r\n" + (1...400).map { "new\($0)@example.nl\r\n" }.joined()).write(to: file, atomically: true, encoding: .utf8)
        #expect(try bakery.run(["onboard", "zuiderzee", file.path]).status == 0)
        for client in ["zuiderzee", "polder-energie", "grachten-media"] {
            let stats = try bakery.run(["stats", client])
            #expect(stats.status == 0, "\(stats.stderr)")
            // CLIENT RECORDS MATCHED RATE EMAIL PHONE ADDRESS PERS. ID COOKIES 24H MATCHED-COOKIES (SHARE)
            let cells = try #require(stats.stdout.split(separator: "\n").last).split(separator: " ").map(String.init)
            let app = try await console(bakery.database, command: "client \(client)")
            let screen = app.render(size: Size(width: 120, height: 40)).plainText
            #expect(screen.contains("Records: \(cells[1]) active, match rate \(cells[3])"), "\(client): \(screen)")
            for (label, rate) in zip(["email", "phone", "address"], cells[4...6]) where rate != "-" {
                let row = try #require(screen.split(separator: "\n").first { $0.contains("│ \(label) ") })
                #expect(row.contains(rate), "\(client) \(label): \(row) vs \(rate)")
            }
            #expect(screen.contains("synced " ) && screen.contains(cells[8]), "cookies: \(cells[8])")
            // "Seen in the last 24 h" moves with the clock: the console's figure lies between the CLI's before
            // and after it.
            let later = try #require(try bakery.run(["stats", client]).stdout.split(separator: "\n").last)
                .split(separator: " ").map(String.init)[9]
            let lastDay = try #require(
                screen.split(separator: "\n").first { $0.contains("seen last 24 h") }?.split(separator: " ")
                    .dropLast().last.map(String.init))
            func number(_ text: String) -> Int { Int(text.filter(\.isNumber)) ?? -1 }
            #expect(
                (number(later)...number(cells[9])).contains(number(lastDay)),
                "24 h: console \(lastDay), CLI \(cells[9]) then \(later)")
            let share = cells[11].trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            #expect(screen.contains(cells[10]) && screen.contains(share), "matched cookies: \(cells[10]) \(share)")
        }
    }

    @Test func theClientsViewShowsTheRecordsCookiesAndNightlyRateOfTheCLI() async throws {
        let bakery = try BakeryRunner()
        #expect(try bakery.run(["demo", "--clients", "3", "--records", "3000"]).status == 0)
        let stats = try #require(try bakery.run(["stats", "--json"]).json() as? [[String: Any]])
        let app = try await console(bakery.database)
        let screen = app.render(size: Size(width: 120, height: 40)).plainText
        for client in stats {
            let name = try #require(client["name"] as? String)
            let row = try #require(screen.split(separator: "\n").first { $0.contains(name) }, "\(name) in \(screen)")
            let records = Figures.grouped(try #require(client["records"] as? Int))
            let cookies = Figures.grouped(try #require(client["synced_cookies"] as? Int))
            let lastDay = Figures.grouped(try #require(client["synced_cookies_last_day"] as? Int))
            let trend = try #require(client["trend"] as? [[String: Any]])
            let nightly = Figures.percent(try #require(trend.last?["match_rate"] as? Double))
            for figure in [records, cookies, lastDay, nightly] {
                #expect(row.contains(" \(figure) "), "\(name): \(figure) not in \(row)")
            }
        }
    }
}
