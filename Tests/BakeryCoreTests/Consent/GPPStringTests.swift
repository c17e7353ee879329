import BakeryCore
import BakeryTesting
import Testing

@Suite("GPP string")
struct GPPStringTests {
    // Published strings with their decoded values, from iabgpp-java's test suite.

    @Test(arguments: [
        // iabgpp-encoder/src/test/java/com/iab/gpp/encoder/section/HeaderV1Test.java, testDecode1-3, each header
        // followed by the sections it lists ("TC": a TC string; "x": a section no decoder could read).
        ("DBAA", [Int]()),
        ("DBABMA~TC", [2]),
        ("DBACNYA~TC~x", [2, 6]),
        // GppModelTest.java, testDecodeUspv1.
        ("DBABTA~1YNN", [6]),
    ])
    func headerSectionIDs(text: String, ids: [Int]) throws {
        let tcf = TCStringBuilder(vendors: [9])
        let gpp = try GPPString(decoding: text.replacingOccurrences(of: "TC", with: tcf.encoded))
        #expect(gpp.version == 1 && gpp.sectionIDs == ids)
        // Section 2 is decoded; the others are skipped unread.
        #expect(gpp.tcfEUv2 == (ids.contains(2) ? try TCString(decoding: tcf.encoded) : nil))
    }

    @Test func iabgppJavaTCFSection() throws {
        // GppModelTest.java, testDecode1-3: the TCF EU v2 section's vendor consents.
        for (text, vendors) in [
            ("DBABMA~CPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAOAAAABAAAAA.QAAA.IAAA", [28]),
            ("DBABMA~CPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAOwAQAOgAAAA.QAAA.IAAA", [29]),
            ("DBABMA~CPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAFpQAwAAgCtAWkAAAAAAA.QAAA.IAAA", [1, 173, 722]),
        ] {
            let gpp = try GPPString(decoding: text)
            #expect(gpp.sectionIDs == [2])
            #expect(gpp.tcfEUv2?.consentedVendorIDs == vendors)
        }
        // testDecodeUspv1AndTcfEuV2AndTcfCaV1: sections 2, 5 and 6; the TCF EU v2 one's fields.
        let three = try GPPString(
            decoding:
                "DBACOeA~CPSG_8APSG_8ANwAAAENAwCAAAAAAAAAAAAAAAAAAAAA.QAAA.IAAA~BPSG_8APSG_8AAyACAENGdCgf_gfgAfgfgBgABABAAABAB4AACACAAA.fHHHA4444ao~1YNN"
        )
        #expect(three.sectionIDs == [2, 5, 6])
        let tc = try #require(three.tcfEUv2)
        #expect(tc.cmpID == 880 && tc.cmpVersion == 0 && tc.consentScreen == 0 && tc.vendorListVersion == 48)
        #expect(tc.consentLanguage == "EN" && tc.publisherCC == "AA" && tc.tcfPolicyVersion == 2)
        #expect(!tc.isServiceSpecific && !tc.useNonStandardTexts && !tc.purposeOneTreatment)
        // testDecodeDefaultsAll: twenty sections, 2 and 5 to 23.
        let all = try GPPString(
            decoding:
                "DBACOYs~CPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAAAAAAAA.QAAA.IAAA~BPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAAAAAA.YAAAAAAAAAA~1---~BAAAAAAAAABA.QA~BAAAAABA.QA~BAAAABA~BAAAAEA.QA~BAAAAAQA~BAAAAAEA.QA~BAAAAABA~BAAAAABA.QA~BAAAAAABAA.QA~BAAAAAQA.QA~BAAAAAABAA.QA~BAAAAAQA.QA~BAAAAAQA.QA~BAAAAABA.QA~BAAAAAAAQA.QA~BAAAAAQA.QA~BAAAAAABAA.QA"
        )
        #expect(all.sectionIDs == [2] + Array(5...23))
        #expect(all.tcfEUv2?.consentedVendorIDs == [])
    }

    // The Fibonacci range, bit by bit: FibonacciIntegerRangeEncoderTest.java's vectors behind a type 3,
    // version 1 header, with as many (skipped) sections as the range lists.
    @Test(arguments: [
        ("000000000000", [Int]()),
        ("0000000000010011", [2]),
        ("00000000000110111011", [2, 3, 4, 5, 6]),
        ("000000000010001110011011", [2, 5, 6, 7]),
        ("0000000000100001110110011", [3, 5, 6, 7, 8]),
        ("00000000001000111001101011", [2, 5, 6, 7, 8, 9, 10, 11, 12]),
    ])
    func fibonacciRangeVectors(range: String, ids: [Int]) throws {
        #expect(GPPStringBuilder.fibonacciRange(ids) == range)
        let header = ConsentBitWriter.base64url("000011" + "000001" + range, padded: false)
        let text = ([header] + ids.map(Self.section)).joined(separator: "~")
        #expect(try GPPString(decoding: text).sectionIDs == ids)
    }

    @Test(arguments: [(1, "11"), (2, "011"), (3, "0011"), (4, "1011"), (5, "00011"), (6, "10011"), (7, "01011")])
    func fibonacciIntegerVectors(value: Int, code: String) throws {
        // FibonacciIntegerEncoderTest.java. As a one-entry range: the section id is the value.
        #expect(GPPStringBuilder.fibonacci(value) == code)
        let header = ConsentBitWriter.base64url("000011000001" + "000000000001" + "0" + code, padded: false)
        #expect(try GPPString(decoding: header + "~" + Self.section(value)).sectionIDs == [value])
    }

    /// A stand-in section: skipped unread, except section 2 (TCF EU v2), which must be a TC string.
    static func section(_ id: Int) -> String {
        id == 2 ? TCStringBuilder().encoded : "s\(id)"
    }

    @Test func aTCFSectionBuiltHereDecodes() throws {
        let tcf = TCStringBuilder(vendors: [755, 1_234])
        let gpp = GPPStringBuilder(sections: [(2, tcf.encoded), (7, "BAAAAAAAAABA.QA"), (8, "anything")])
        let decoded = try GPPString(decoding: gpp.encoded)
        #expect(decoded.sectionIDs == [2, 7, 8])
        #expect(decoded.tcfEUv2?.consentedVendorIDs == [755, 1_234])
    }

    // Malformed strings.

    @Test(arguments: [
        ("", "GPP header is empty"),
        ("~CPSG", "GPP header is empty"),
        ("DB*A", "GPP header: character 3 ('*') is not base64url"),
        // Type 2 in place of 3.
        ("CBABMA~x", "GPP header has type 2; a GPP header has type 3"),
        // Version 2.
        ("DCABMA~x", "GPP header has version 2; only version 1 is read"),
        ("DBABMA", "GPP header lists more section ids than the string's 0 sections (at entry 1)"),
        ("DBABMA~a~b", "GPP string lists 1 section ids in its header but has 2 sections"),
        ("DBACNYA~x", "GPP header lists more section ids than the string's 1 sections (at entry 2)"),
        ("DB", "GPP header ends in NumEntries of SectionIds: it needs 12 bits at bit 12, the string has 12"),
        ("DBAB~x", "GPP header ends in IsARange of section id entry 1: it needs 1 bits at bit 24, the string has 24"),
        ("DBABMA~C*", "GPP section 1 (TCF EU v2): TC string: character 2 ('*') is not base64url"),
        ("DBABMA~", "GPP section 1 (TCF EU v2): TC string is empty"),
        ("DBABMA~BObdrPUOevsguAfDqFENCNAAAAAmeAAA",
         "GPP section 1 (TCF EU v2): TC string has version 1; only TCF v2 strings (version 2) are read"),
    ])
    func malformedStringsSayWhatIsWrong(text: String, message: String) {
        #expect {
            try GPPString(decoding: text)
        } throws: { error in
            (error as? ConsentStringError)?.message == message
        }
    }

    @Test func aFibonacciCodeWithoutItsEndIsRefused() {
        // NumEntries 1, a single id whose code is 30 bits of 0101… and never two 1s in a row.
        let header = ConsentBitWriter.base64url(
            "000011000001" + "000000000001" + "0" + String(repeating: "01", count: 15), padded: false)
        #expect {
            try GPPString(decoding: header + "~s")
        } throws: { error in
            (error as? ConsentStringError)?.message == "GPP header: section id entry 1 at bit 25 is longer than 24 bits"
        }
    }

    @Test func aHugeRangeIsRefusedWithoutListingIt() {
        // One range entry from 1 to 1 + 75,024: far more ids than the string has sections.
        let range = "000000000001" + "1" + GPPStringBuilder.fibonacci(1) + GPPStringBuilder.fibonacci(75_024)
        let header = ConsentBitWriter.base64url("000011000001" + range, padded: false)
        #expect {
            try GPPString(decoding: header + "~a~b")
        } throws: { error in
            (error as? ConsentStringError)?.message
                == "GPP header lists more section ids than the string's 2 sections (at entry 1)"
        }
    }

    @Test func aStringOverTheLimitIsRefused() {
        let text = "DBABTA~" + String(repeating: "1", count: GPPString.maximumLength - 6)
        #expect {
            try GPPString(decoding: text)
        } throws: { error in
            (error as? ConsentStringError)?.message == "GPP string is 8193 bytes, longer than 8192"
        }
        #expect(throws: Never.self) { try GPPString(decoding: text.dropLast()) }
    }
}
