import BakeryCore
import Testing

@Suite("Client validation")
struct ClientValidationTests {
    @Test(arguments: ["acme", "a", "acme-nl-2", "0day", String(repeating: "a", count: 40)])
    func acceptsSlugIDs(id: String) {
        #expect(Client.isValidID(id))
    }

    @Test(arguments: ["", "-acme", "Acme", "ac me", "acme_nl", "é", String(repeating: "a", count: 41)])
    func refusesOtherIDs(id: String) {
        #expect(!Client.isValidID(id))
    }

    @Test(arguments: ["PO_1a2b3c4d", "tealium-acme", "a.b", String(repeating: "k", count: 64)])
    func acceptsPartnerKeys(key: String) throws {
        try Partner(key: key).validate()
    }

    @Test(arguments: ["", "has space", "semi;colon", "ü", String(repeating: "k", count: 65)])
    func refusesOtherPartnerKeys(key: String) {
        #expect(throws: BakeryError.self) { try Partner(key: key).validate() }
    }

    @Test(arguments: ["javascript:alert(1)", "not a url", "ftp://x.example/", "https://"])
    func refusesCallbackURLsThatAreNotHTTP(url: String) {
        #expect(throws: BakeryError.self) { try Partner(key: "k", callbackURL: url).validate() }
    }

    @Test func namesTheFieldThatIsWrong() {
        let client = Client(id: "ok", name: "  ", country: "NL", dmp: .piano)
        #expect(throws: BakeryError.invalidInput("client name must be 1-200 characters")) { try client.validate() }
    }
}
