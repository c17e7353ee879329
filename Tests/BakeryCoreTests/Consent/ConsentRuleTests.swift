import BakeryCore
import BakeryTesting
import Testing

@Suite("Consent rule")
struct ConsentRuleTests {
    static let bakery = 1_234
    static let partner = 77
    static let grantsBoth = TCStringBuilder(vendors: [partner, bakery]).encoded
    static let grantsBakery = TCStringBuilder(vendors: [bakery]).encoded
    static let withoutPurposeOne = TCStringBuilder(vendors: [partner, bakery], purposes: [2, 3, 4]).encoded
    static let otherVendor = TCStringBuilder(vendors: [5]).encoded
    static let garbage = "CO*garbage"
    static func gpp(_ tcf: String) -> String { GPPStringBuilder(sections: [(2, tcf), (6, "1YNN")]).encoded }
    static let usOnly = "DBABTA~1YNN"

    struct Case: Sendable, CustomTestStringConvertible {
        var gdpr: String?
        var consent: String?
        var gpp: String?
        var sid: String?
        var partner: Int?
        var expected: Expected
        let testDescription: String

        enum Expected: Sendable { case store, noConsent, bad }

        init(
            _ description: String, gdpr: String? = nil, consent: String? = nil, gpp: String? = nil,
            sid: String? = nil, partner: Int? = nil, _ expected: Expected
        ) {
            testDescription = description
            (self.gdpr, self.consent, self.gpp, self.sid, self.partner, self.expected) =
                (gdpr, consent, gpp, sid, partner, expected)
        }
    }

    @Test(arguments: [
        Case("no parameters", .store),
        Case("gdpr=0", gdpr: "0", .store),
        Case("gdpr=0 leaves gdpr_consent unread", gdpr: "0", consent: garbage, .store),
        Case("gdpr=1 without a string", gdpr: "1", .noConsent),
        Case("gdpr=1 granting", gdpr: "1", consent: grantsBakery, .store),
        Case("gdpr=1 without Purpose 1", gdpr: "1", consent: withoutPurposeOne, .noConsent),
        Case("gdpr=1 for another vendor", gdpr: "1", consent: otherVendor, .noConsent),
        Case("gdpr=1 with a bad string", gdpr: "1", consent: garbage, .bad),
        Case("no gdpr, a granting string", consent: grantsBakery, .store),
        Case("no gdpr, a denying string", consent: otherVendor, .noConsent),
        Case("no gdpr, a bad string", consent: garbage, .bad),
        Case("the partner's vendor without consent", gdpr: "1", consent: grantsBakery, partner: partner, .noConsent),
        Case("the partner's vendor with consent", gdpr: "1", consent: grantsBoth, partner: partner, .store),
        Case("GPP's section 2 overrides a granting gdpr_consent", gdpr: "1", consent: grantsBakery,
             gpp: gpp(otherVendor), .noConsent),
        Case("GPP's section 2 overrides a denying gdpr_consent", gdpr: "1", consent: otherVendor,
             gpp: gpp(grantsBakery), .store),
        Case("gpp_sid 2, GPP granting", gpp: gpp(grantsBakery), sid: "2", .store),
        Case("gpp_sid 2,6, GPP denying", gdpr: "0", gpp: gpp(otherVendor), sid: "2,6", .noConsent),
        Case("gpp_sid without 2: GDPR does not apply", gdpr: "1", gpp: gpp(otherVendor), sid: "6", .store),
        Case("GPP's section 2 decides without gpp_sid even with gdpr=0", gdpr: "0", gpp: gpp(otherVendor),
             .noConsent),
        Case("GPP without section 2 and gpp_sid: gdpr_consent decides", gdpr: "1", consent: grantsBakery,
             gpp: usOnly, .store),
        Case("GPP without section 2 and gpp_sid, gdpr=1, no string", gdpr: "1", gpp: usOnly, .noConsent),
        Case("GPP without section 2 and gpp_sid, gdpr=0", gdpr: "0", gpp: usOnly, .store),
        Case("gpp_sid 2, GPP without section 2: gdpr_consent decides", consent: grantsBakery, gpp: usOnly,
             sid: "2", .store),
        Case("gpp_sid 2, GPP without section 2, no gdpr_consent", gdpr: "0", gpp: usOnly, sid: "2", .noConsent),
        Case("a bad GPP string, whatever else is said", gdpr: "0", gpp: "DBABMA~" + garbage, sid: "6", .bad),
        Case("a GPP header that does not decode", gpp: "XYZ", .bad),
        Case("gpp_sid 2 without gpp: gdpr_consent decides", gdpr: "0", consent: grantsBakery, sid: "2", .store),
        Case("gpp_sid 2 without gpp or gdpr_consent", gdpr: "0", sid: "2", .noConsent),
        Case("gpp_sid -1 without gpp: no section applies", gdpr: "1", sid: "-1", .store),
    ])
    func theRuleTable(_ test: Case) throws {
        let signals = try ConsentSignals(gdpr: test.gdpr, gdprConsent: test.consent, gpp: test.gpp, gppSID: test.sid)
        let decision = ConsentRule(bakeryVendorID: Self.bakery).decision(for: signals, partnerVendorID: test.partner)
        switch (test.expected, decision) {
        case (.store, .store), (.noConsent, .noConsent), (.bad, .badConsentString): break
        default: Issue.record("\(test.testDescription): \(decision)")
        }
    }

    @Test func withoutBakerysVendorIDNothingGDPRAppliesToIsStored() throws {
        let rule = ConsentRule(bakeryVendorID: nil)
        #expect(rule.decision(for: try ConsentSignals(gdpr: "1", gdprConsent: Self.grantsBoth)) == .noConsent)
        #expect(rule.decision(for: try ConsentSignals(gpp: Self.gpp(Self.grantsBoth))) == .noConsent)
        #expect(rule.decision(for: try ConsentSignals(gdpr: "0")) == .store)
        #expect(rule.decision(for: try ConsentSignals()) == .store)
        guard case .badConsentString = rule.decision(for: try ConsentSignals(gdpr: "1", gdprConsent: Self.garbage))
        else {
            Issue.record("a bad string is still a bad string")
            return
        }
    }

    @Test func aBadStringSaysWhyWithoutRepeatingIt() throws {
        let decision = ConsentRule(bakeryVendorID: Self.bakery).decision(
            for: try ConsentSignals(gdpr: "1", gdprConsent: Self.garbage))
        #expect(decision == .badConsentString("TC string: character 3 ('*') is not base64url"))
    }

    @Test(arguments: ["2", "true", "yes", "01", " 1"])
    func gdprIsZeroOrOne(value: String) {
        #expect(throws: ConsentSignals.Invalid(message: "gdpr must be 0 or 1")) {
            try ConsentSignals(gdpr: value)
        }
    }

    @Test(arguments: ["2,x", "2,,6", "256", "-2", " 2", "2;6", ","])
    func gppSIDIsAListOfSectionIDs(value: String) {
        #expect(
            throws: ConsentSignals.Invalid(
                message: "gpp_sid must be section ids separated by commas, each from -1 to 255")
        ) {
            try ConsentSignals(gppSID: value)
        }
    }

    @Test func emptyIsAbsent() throws {
        let signals = try ConsentSignals(gdpr: "", gdprConsent: "", gpp: "", gppSID: "")
        #expect(signals == (try ConsentSignals()))
        #expect(signals.gdpr == nil && signals.gdprConsent == nil && signals.gpp == nil && signals.gppSID == nil)
        #expect(try ConsentSignals(gppSID: "2,6").gppSID == [2, 6])
        #expect(try ConsentSignals(gppSID: "-1").gppSID == [-1])
        #expect(try ConsentSignals(gdpr: "1").gdpr == true)
    }
}
