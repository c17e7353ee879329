import BakeryCore
import Testing

@Suite("IdentifierHash")
struct IdentifierHashTests {
    @Test func thePublishedEmailVector() {
        // DESIGN.md: John.Sam@MAIL.COM normalises to john.sam@mail.com, whose SHA-256 is this.
        #expect(
            IdentifierHash.sha256(of: "john.sam@mail.com").hex
                == "a7df77a9db89b44110c704b680a24978579a3069b419db95cbda84541094adba")
    }

    @Test func hexRoundTripsInEitherCaseAndBytesAreBigEndian() throws {
        let hex = "A7DF77A9DB89B44110C704B680A24978579A3069B419DB95CBDA84541094ADBA"
        let hash = try #require(IdentifierHash(hex: hex))
        #expect(hash.hex == hex.lowercased())
        #expect(hash.bytes.count == 32 && hash.bytes.first == 0xA7 && hash.bytes.last == 0xBA)
        #expect(IdentifierHash(bytes: hash.bytes) == hash)
        #expect(hash.withUnsafeBytes { Array($0) } == hash.bytes)
    }

    @Test(arguments: [
        "", "a7df", String(repeating: "a", count: 63), String(repeating: "a", count: 65),
        String(repeating: "g", count: 64), String(repeating: "a", count: 62) + " a",
    ])
    func refusesWhatIsNot64HexCharacters(text: String) {
        #expect(IdentifierHash(hex: text) == nil)
    }

    @Test func refusesByteCountsOtherThan32() {
        #expect(IdentifierHash(bytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(IdentifierHash(bytes: [UInt8](repeating: 1, count: 33)) == nil)
    }

    @Test func thePrimaryIdentifierIsTheFirstByKindThenHash() {
        let email = Identifier(.email, .sha256(of: "b"))
        let phone = Identifier(.phone, .sha256(of: "a"))
        #expect(CRMRecord.primary(of: [phone, email]) == email)
        #expect(CRMRecord.primary(of: []) == nil)
    }
}
