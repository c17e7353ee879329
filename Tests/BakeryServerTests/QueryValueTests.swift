import Testing

@testable import BakeryServer

@Suite("Query values")
struct QueryValueTests {
    @Test(arguments: ["a\u{0}b", "a\u{1F}", "\u{7F}", "x\u{85}y", "\u{9F}", "tab\there"])
    func controlCharactersAreRefused(value: String) {
        #expect(throws: QueryValue.Invalid.self) { try QueryValue.required(value[...], name: "v", limit: 100) }
    }

    @Test(arguments: ["plain", "nu.nl", "Järvi", "日本", "emoji 🍪", "\u{A0}nbsp", "\u{100}", "\u{C2}"])
    func otherTextIsAccepted(value: String) throws {
        #expect(try QueryValue.required(value[...], name: "v", limit: 100) == value)
    }

    @Test func lengthIsCountedInBytes() {
        #expect(throws: QueryValue.Invalid.self) { try QueryValue.required("ää"[...], name: "v", limit: 3) }
    }
}
