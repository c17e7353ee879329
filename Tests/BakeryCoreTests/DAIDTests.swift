import BakeryCore
import Foundation
import Testing

@Suite struct DAIDTests {
    @Test func aMintedIdIsValidAndLedByItsMintingSecond() {
        let at = Date(timeIntervalSince1970: 1_796_000_000.7)
        let id = DAID.mint(at: at)
        #expect(DAID.isValid(id))
        #expect(id.prefix(8) == String(1_796_000_000, radix: 16).leftPadded(to: 8))
    }

    @Test func idsSortInMintingOrderAndDifferWithinOneSecond() {
        let earlier = DAID.mint(at: Date(timeIntervalSince1970: 1_796_000_000))
        let later = DAID.mint(at: Date(timeIntervalSince1970: 1_796_000_001))
        #expect(earlier < later)
        let sameSecond = (0..<1_000).map { _ in DAID.mint(at: Date(timeIntervalSince1970: 1_796_000_000)) }
        #expect(Set(sameSecond).count == 1_000)
        // The 96 random bits vary in every position, not only in a few.
        for position in 8..<32 {
            let digits = Set(sameSecond.map { Array($0.utf8)[position] })
            #expect(digits.count > 8, "digit \(position) barely varies")
        }
    }

    @Test func refusesWhatIsNotThirtyTwoLowerCaseHexDigits() {
        #expect(!DAID.isValid(String(repeating: "A", count: 32)))
        #expect(!DAID.isValid(String(repeating: "a", count: 31)))
        #expect(!DAID.isValid(String(repeating: "g", count: 32)))
        #expect(DAID.isValid(String(repeating: "f", count: 32)))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
