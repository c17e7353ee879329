import BakeryCore
import BakeryTesting
import Foundation
import Testing

@Suite("TC string")
struct TCStringTests {
    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    // Published strings with their decoded values, from the IAB's own decoders' test suites.

    @Test func iabtcfJavaEveryCoreField() throws {
        // iabtcf-java, iabtcf-decoder/src/test/java/com/iabtcf/decoder/TCStringV2Test.java,
        // testCanConstructTCModelFromBase64String.
        let tc = try TCString(decoding: "COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA")
        #expect(tc.version == 2)
        #expect(tc.created == Self.date("2020-01-26T17:01:00Z"))
        #expect(tc.lastUpdated == Self.date("2021-02-02T17:01:00Z"))
        #expect(tc.cmpID == 675 && tc.cmpVersion == 2 && tc.consentScreen == 1)
        #expect(tc.vendorListVersion == 15 && tc.tcfPolicyVersion == 2)
        #expect(tc.consentLanguage == "EN" && tc.publisherCC == "AA")
        #expect(!tc.isServiceSpecific && tc.purposeOneTreatment && !tc.useNonStandardTexts)
        #expect(tc.specialFeatureOptIns == [1])
        #expect(tc.purposesConsent == [2, 10])
        #expect(tc.purposesLITransparency == [2, 9])
    }

    @Test func iabtcfJavaBitFieldVendorsAndIgnoredSegments() throws {
        // TCStringV2Test.java, testConstructConsentsFromBitFields, testCanParseDisclosedAndAllowedVendors and
        // testCanParseAllParts: the same core segment alone, with disclosed and allowed vendors segments, and with
        // a padded publisher purposes segment too.
        let core = "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA"
        for text in [
            core, core + ".IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA",
            core + ".IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA.cAAAAAAAITg=",
        ] {
            let tc = try TCString(decoding: text)
            #expect(tc.purposesConsent == [3, 4, 5, 6, 7, 8, 9])
            #expect(tc.vendorEncoding == .bitField)
            #expect(tc.consentedVendorIDs == [23, 37, 47, 48, 53, 65, 98])
        }
    }

    @Test func iabtcfJavaRangeEncodedVendors() throws {
        // TCStringV2Test.java, testRange: two entries, then one.
        let two = try TCString(decoding: "COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAYFfAV-BVkAGBVYFWAAA")
        #expect(two.vendorEncoding == .range && two.consentedVendorIDs == [702, 703])
        let one = try TCString(decoding: "COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAQFfgUbABAUaAAA")
        #expect(one.consentedVendorIDs == [703])
        #expect(one.vendorConsent(703) && !one.vendorConsent(702) && !one.vendorConsent(704))
        // testPurposesConsent.
        #expect(try TCString(decoding: "COwxsONOwxsONKpAAAENAdCAAMAAAAAAAAAAAAAAAAAA").purposesConsent.isSuperset(of: [1, 2]))
    }

    @Test func iabgppJavaTCFSections() throws {
        // iabgpp-java, iabgpp-encoder/src/test/java/com/iab/gpp/encoder/section/TcfEuV2Test.java, testDecode7:
        // a range entry 1-3 and a single 755.
        let tc = try TCString(decoding: "COoC-kUOoC-kUAHABAENAwCoAIAAAELAAAwIF5wAoAAgAGAvMACX_ABBAAQAFA")
        #expect(tc.created == Self.date("2019-10-07T05:17:54Z") && tc.lastUpdated == tc.created)
        #expect(tc.cmpID == 7 && tc.cmpVersion == 1 && tc.consentScreen == 0 && tc.vendorListVersion == 48)
        #expect(tc.isServiceSpecific && !tc.useNonStandardTexts && !tc.purposeOneTreatment)
        #expect(tc.publisherCC == "GB" && tc.specialFeatureOptIns == [1])
        #expect(tc.purposesConsent == [1] && tc.purposesLITransparency == [2, 7, 9, 10])
        #expect(tc.vendorConsents == [1...3, 755...755])
        // testDecode6.
        let six = try TCString(decoding: "COv_eg6Ov_eg6AOADBENAaCgAP_AAH_AACiQAVEUQQoAIQAqIoghAAQgAA.YAAAAAAAAAAAAAAAAAA")
        #expect(six.cmpID == 14 && six.cmpVersion == 3 && six.vendorListVersion == 26 && six.publisherCC == "US")
        #expect(six.purposesConsent == Set(1...10) && six.purposesLITransparency == Set(2...10))
        #expect(six.consentedVendorIDs == [2, 6, 8, 12, 18, 23, 25, 37, 42])
        // testDecode4: a CMP's string with 772 vendors.
        let large = try TCString(
            decoding:
                "CPi8wgAPi8wgAAOACBENCuCoAP_AAEfAACiQJHNd_H__bX9n-f7_6ft0eY1f9_r37uQzDhfNk-8F3L_W_LwX_2E7NF36tq4KmR4ku1LBIUNtHMnUDUmxaokVrzHsak2cpzNKJ_BkknsZe2dYGF9vm5tj-QKZ7_5_d3f52T_9_9v-39z33913v3d93-_13LjdV5_9H_v9fR_b8_Kf9_5-_4v8_____3_e______8AEEggCTDVuIAuxLHAm0DCKBECMKwkKoFABBQDC0QGADg4KdlYBPrCBAAgFAEYEQIcAUYEAgAAAgCQiACQIsEAAAIgEAAIAEQiEABAwCCgAsDAIAAQDQMUQoABAkIMiAiKUwICIEggJbKhBKC6Q0wgCrLACgkRsFAAiAAAUgACAsHAMESAlYsECTFG-QAjBCgFEqFaAGGgAwABBI4RABgACCRwqADAAEEjgA"
        )
        #expect(large.cmpID == 14 && large.cmpVersion == 2 && large.vendorListVersion == 174)
        #expect(large.purposesConsent == Set(1...10) && large.publisherCC == "US")
        #expect(large.consentedVendorIDs.count == 772)
    }

    // Form: padding, segments, length.

    @Test func paddingIsOptionalButMustBeRight() throws {
        var builder = TCStringBuilder(vendors: [5, 9])
        let bare = builder.encoded
        builder.padded = true
        let padded = builder.encoded
        #expect(padded != bare && padded.hasSuffix("="))
        #expect(try TCString(decoding: padded) == TCString(decoding: bare))
        #expect(throws: ConsentStringError.self) { try TCString(decoding: bare + "===") }
        #expect(throws: ConsentStringError.self) { try TCString(decoding: padded + "=") }
    }

    @Test func onlyTheCoreSegmentIsRead() throws {
        let core = TCStringBuilder(vendors: [3]).encoded
        let tc = try TCString(decoding: core + ".garbage!*.")
        #expect(tc.consentedVendorIDs == [3])
        #expect(throws: ConsentStringError.self) { try TCString(decoding: "." + core) }
    }

    @Test func aStringOverTheLimitIsRefusedBeforeItIsRead() throws {
        let core = TCStringBuilder(vendors: [3]).encoded
        let long = core + "." + String(repeating: "A", count: TCString.maximumLength - core.count)
        #expect(long.utf8.count == TCString.maximumLength + 1)
        #expect {
            try TCString(decoding: long)
        } throws: { error in
            (error as? ConsentStringError)?.message == "TC string is 4097 bytes, longer than 4096"
        }
        #expect(try TCString(decoding: long.dropLast()).consentedVendorIDs == [3])
    }

    // Malformed strings: each refused with a message that says what and where.

    @Test(arguments: [
        ("", "TC string is empty"),
        ("CO*tybn4", "TC string: character 3 ('*') is not base64url"),
        ("CO+tybn4", "TC string: character 3 ('+') is not base64url"),
        ("CO tybn4", "TC string: character 3 (' ') is not base64url"),
        ("COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA==", "TC string: wrong '=' padding (2 after 44 characters)"),
        // A TCF v1.1 string (version 1), from iabtcf-java's TCStringV1Test.
        ("BObdrPUOevsguAfDqFENCNAAAAAmeAAA", "TC string has version 1; only TCF v2 strings (version 2) are read"),
    ])
    func malformedStringsSayWhatIsWrong(text: String, message: String) {
        #expect {
            try TCString(decoding: text)
        } throws: { error in
            (error as? ConsentStringError)?.message == message
        }
    }

    @Test func aStringCutBeforeItsVendorConsentsIsRefusedAndNamesTheField() throws {
        let bits = TCStringBuilder(vendors: [2, 40, 41, 42, 700], rangeEncoding: true).bits
        // The vendor consents end 17 + 12 + (1 + 16) + (1 + 32) + (1 + 16) bits after PublisherCC's end (bit 213).
        let vendorEnd = 213 + 17 + 12 + 17 + 33 + 17
        let whole = ConsentBitWriter.base64url(String(bits.prefix(vendorEnd)), padded: false)
        #expect(try TCString(decoding: whole).consentedVendorIDs == [2, 40, 41, 42, 700])
        // Cut anywhere from the end of Version to PublisherCC: the zero fill up to a whole character (at most 11
        // bits) never reaches past MaxVendorId, so every field is read or found missing.
        for length in 6..<213 {
            let text = ConsentBitWriter.base64url(String(bits.prefix(length)), padded: false)
            #expect {
                try TCString(decoding: text)
            } throws: { error in
                (error as? ConsentStringError)?.message.hasPrefix("TC string ends in ") == true
            }
        }
        let cut = ConsentBitWriter.base64url(String(bits.prefix(96)), padded: false)
        #expect {
            try TCString(decoding: cut)
        } throws: { error in
            (error as? ConsentStringError)?.message
                == "TC string ends in CmpVersion: it needs 12 bits at bit 90, the string has 96"
        }
    }

    @Test func aHugeMaxVendorIDInABitFieldIsATruncatedString() {
        var builder = TCStringBuilder(vendors: [1])
        builder.maxVendorID = 65_535
        let text = ConsentBitWriter.base64url(String(builder.bits.prefix(400)), padded: false)
        #expect {
            try TCString(decoding: text)
        } throws: { error in
            (error as? ConsentStringError)?.message.hasPrefix(
                "TC string ends in the vendor consent bit field: MaxVendorId 65535 needs 65535 bits at bit 230") == true
        }
    }

    @Test func aHugeMaxVendorIDWithRangesIsRead() throws {
        var builder = TCStringBuilder(vendors: [1, 65_535], rangeEncoding: true)
        builder.maxVendorID = 65_535
        let tc = try TCString(decoding: builder.encoded)
        #expect(tc.maxVendorID == 65_535 && tc.vendorConsents == [1...1, 65_535...65_535])
    }

    @Test(arguments: [
        ([(5, 9), (3, 4)], "vendor range entry 2 (3-4) does not come after entry 1 (5-9): entries must be ascending"),
        ([(5, 9), (9, 12)], "vendor range entry 2 (9-12) does not come after entry 1 (5-9): entries must be ascending"),
        ([(9, 5)], "vendor range entry 1 (9-5) is not an ascending range within 1-100 (MaxVendorId)"),
        ([(0, 0)], "vendor range entry 1 (0-0) is not an ascending range within 1-100 (MaxVendorId)"),
        ([(1, 2), (90, 101)], "vendor range entry 2 (90-101) is not an ascending range within 1-100 (MaxVendorId)"),
    ])
    func rangeEntriesMustAscendWithinMaxVendorID(entries: [(Int, Int)], message: String) {
        var builder = TCStringBuilder(rangeEncoding: true)
        builder.maxVendorID = 100
        builder.rawRangeEntries = entries.map { (start: $0.0, end: $0.1) }
        #expect {
            try TCString(decoding: builder.encoded)
        } throws: { error in
            (error as? ConsentStringError)?.message == "TC string: " + message
        }
    }

    @Test func lettersOutsideAToZAreRefused() {
        var writer = ConsentBitWriter()
        writer.write(2, 6)
        writer.write(0, 36)
        writer.write(0, 36)
        writer.write(0, 30)
        writer.write(4, 6)
        writer.write(40, 6)  // ConsentLanguage: 'E' and not a letter
        #expect {
            try TCString(decoding: ConsentBitWriter.base64url(writer.bits, padded: false))
        } throws: { error in
            (error as? ConsentStringError)?.message == "TC string: ConsentLanguage at bit 108 is not two letters A-Z"
        }
    }
}
