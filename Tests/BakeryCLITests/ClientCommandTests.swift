import Foundation
import Testing

@Suite("bakery client")
struct ClientCommandTests {
    @Test func addThenListAndShowAsJSON() throws {
        let bakery = try BakeryRunner()
        let added = try bakery.run([
            "client", "add", "acme", "--name", "Acme Retail", "--country", "nl", "--dmp", "piano",
            "--partner", "PO_1a2b3c4d", "--partner", "acme-2", "--callback-url", "https://dmp.example/s?id=${DA_ID}",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let list = try bakery.run(["client", "list", "--json"])
        #expect(list.status == 0)
        let clients = try #require(try list.json() as? [[String: Any]])
        #expect(clients.count == 1)
        #expect(clients[0]["id"] as? String == "acme")
        #expect(clients[0]["country"] as? String == "NL")
        #expect(clients[0]["dmp"] as? String == "piano")
        #expect(clients[0]["partners"] as? [String] == ["PO_1a2b3c4d", "acme-2"])
        #expect((clients[0]["callback_urls"] as? [String: String])?["acme-2"] == "https://dmp.example/s?id=${DA_ID}")
        let show = try bakery.run(["client", "show", "acme", "--json"])
        let shown = try #require(try show.json() as? [String: Any])
        #expect(shown["records"] as? Int == 0)
        #expect(shown["synced_cookies"] as? Int == 0)
        #expect(shown["name"] as? String == "Acme Retail")
        let human = try bakery.run(["client", "show", "acme"])
        #expect(human.stdout.contains("PO_1a2b3c4d"))
    }

    @Test func withoutPartnerTheIDIsThePartnerKey() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "beta", "--name", "Beta", "--country", "SE", "--dmp", "relay42"])
        let list = try #require(try bakery.run(["client", "list", "--json"]).json() as? [[String: Any]])
        #expect(list.first?["partners"] as? [String] == ["beta"])
    }

    @Test func duplicatesFailWithExitOneAndSayWhy() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "A", "--country", "NL", "--dmp", "tealium", "--partner", "k1"])
        let again = try bakery.run(["client", "add", "acme", "--name", "B", "--country", "NL", "--dmp", "tealium"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        let partner = try bakery.run(["client", "add", "beta", "--name", "B", "--country", "NL", "--dmp", "tealium", "--partner", "k1"])
        #expect(partner.status == 1)
        #expect(partner.stderr.contains("partner key 'k1' already belongs to client 'acme'"))
        #expect(!partner.stderr.contains("Error Domain"), "no raw error dumps")
    }

    @Test(arguments: [
        ["client", "add", "Bad Id", "--name", "X", "--country", "NL", "--dmp", "tealium"],
        ["client", "add", "ok", "--name", "X", "--country", "NL", "--dmp", "adobe"],
        ["client", "add", "ok", "--country", "NL", "--dmp", "tealium"],
        ["client", "frobnicate"],
        ["stats", "--bogus"],
        ["demo", "--clients", "0"],
        ["demo", "--records", "-5"],
    ])
    func badUsageExitsTwoWithAHint(arguments: [String]) throws {
        let bakery = try BakeryRunner()
        let result = try bakery.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("--help"), "a hint: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: bakery.database), "bad usage creates no database")
    }

    @Test func invalidFieldsOfAWellFormedCommandFailWithExitOne() throws {
        let bakery = try BakeryRunner()
        let result = try bakery.run(["client", "add", "ok", "--name", "X", "--country", "Holland", "--dmp", "tealium"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("ISO 3166-1"))
        #expect(!FileManager.default.fileExists(atPath: bakery.database), "nothing created for an invalid client")
    }

    @Test func anUnknownClientIsExitOneWithTheFix() throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "A", "--country", "NL", "--dmp", "tealium"])
        for command in [["client", "show", "nope"], ["stats", "nope"]] {
            let result = try bakery.run(command)
            #expect(result.status == 1)
            #expect(result.stderr.contains("no client with id 'nope'; `bakery client list`"), "\(result.stderr)")
        }
    }
}
