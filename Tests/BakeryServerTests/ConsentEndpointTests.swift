import BakeryCore
import BakeryServer
import BakeryTesting
import Foundation
import HummingbirdTesting
import Testing

/// The consent rule on the sync and bake endpoints (the rule itself: BakeryCoreTests' ConsentRuleTests).
@Suite("Consent on the endpoints")
struct ConsentEndpointTests {
    static let sync = "/bakery/sync/dmpsyncendpoint"
    static let email = BakeEndpointTests.email
    static let bakery = 1_234
    static let piano = 77
    static let grantsBakery = TCStringBuilder(vendors: [bakery]).encoded
    static let grantsBoth = TCStringBuilder(vendors: [bakery, piano]).encoded
    static let withoutPurposeOne = TCStringBuilder(vendors: [bakery, piano], purposes: [2, 7]).encoded
    static let otherVendor = TCStringBuilder(vendors: [5]).encoded
    static func gpp(_ tcf: String) -> String { GPPStringBuilder(sections: [(2, tcf), (6, "1YNN")]).encoded }

    /// Bakery is vendor 1234; Piano's partner key needs vendor 77 too, acme's needs no other.
    static func harness(vendorID: Int? = bakery) async throws -> ServerHarness {
        try await ServerHarness {
            $0.tcfVendorID = vendorID
            $0.partnerVendorIDs = ["PO_1a2b3c4d": piano]
        }
    }

    /// Sends each `cookieid → query` sync to acme's partner, checking every answer is the GIF.
    static func sync(_ harness: ServerHarness, _ requests: [(String, String)], partner: String = "acme-dmp")
        async throws
    {
        try await harness.test { client in
            for (cookie, query) in requests {
                try await client.execute(uri: "\(Self.sync)?partner=\(partner)&cookieid=\(cookie)&\(query)", method: .get)
                { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "image/gif", "\(cookie)")
                }
            }
        }
    }

    static func count(_ harness: ServerHarness, _ endpoint: String, _ outcome: String) -> Int? {
        let prefix = "bakery_requests_total{endpoint=\"\(endpoint)\",outcome=\"\(outcome)\"} "
        let line = harness.server.metrics.text().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) }
    }

    @Test func aGrantingStringStoresADenyingOneStoresNothingAndCountsNoConsent() async throws {
        let harness = try await Self.harness()
        try await Self.sync(harness, [
            ("GRANT", "gdpr=1&gdpr_consent=\(Self.grantsBakery)"),
            ("NOPURPOSE", "gdpr=1&gdpr_consent=\(Self.withoutPurposeOne)"),
            ("OTHER", "gdpr=1&gdpr_consent=\(Self.otherVendor)"),
            ("ABSENT", "gdpr=1"),
            ("OUTSIDE", "gdpr=0&gdpr_consent=\(Self.otherVendor)"),
        ])
        #expect(try await harness.pairs("acme-dmp", "GRANT").count == 1)
        #expect(try await harness.pairs("acme-dmp", "OUTSIDE").count == 1)
        for cookie in ["NOPURPOSE", "OTHER", "ABSENT"] { #expect(try await harness.pairs("acme-dmp", cookie).isEmpty) }
        #expect(Self.count(harness, "sync", "ok") == 2)
        #expect(Self.count(harness, "sync", "no_consent") == 3)
        #expect(Self.count(harness, "sync", "bad_consent_string") == 0)
    }

    @Test func aStringThatDoesNotDecodeIsCountedAsABadConsentString() async throws {
        let harness = try await Self.harness()
        let truncated = String(Self.grantsBakery.prefix(20))
        try await Self.sync(harness, [
            ("GARBAGE", "gdpr=1&gdpr_consent=not-a-tc-string"),
            ("TRUNCATED", "gdpr=1&gdpr_consent=\(truncated)"),
            ("BADGPP", "gpp=DBABMA~\(truncated)&gpp_sid=2"),
        ])
        try await harness.test { client in
            try await client.execute(uri: "\(Self.sync)?partner=acme-dmp&cookieid=X&gdpr=1&gdpr_consent=x%2Ay", method: .get) {
                response in
                #expect(response.status == .ok && response.cookie("da_id") == nil)
            }
        }
        for cookie in ["GARBAGE", "TRUNCATED", "BADGPP", "X"] { #expect(try await harness.pairs("acme-dmp", cookie).isEmpty) }
        #expect(Self.count(harness, "sync", "bad_consent_string") == 4)
        #expect(Self.count(harness, "sync", "no_consent") == 0)
    }

    @Test func theGPPStringOverridesGDPRConsent() async throws {
        let harness = try await Self.harness()
        try await Self.sync(harness, [
            ("GPPDENIES", "gdpr=1&gdpr_consent=\(Self.grantsBakery)&gpp=\(Self.gpp(Self.otherVendor))&gpp_sid=2"),
            ("GPPGRANTS", "gdpr=1&gdpr_consent=\(Self.otherVendor)&gpp=\(Self.gpp(Self.grantsBakery))&gpp_sid=2,6"),
            ("NOSID", "gdpr=0&gpp=\(Self.gpp(Self.otherVendor))"),
            ("USONLY", "gdpr=1&gpp=\(Self.gpp(Self.otherVendor))&gpp_sid=6"),
        ])
        #expect(try await harness.pairs("acme-dmp", "GPPDENIES").isEmpty)
        #expect(try await harness.pairs("acme-dmp", "GPPGRANTS").count == 1)
        #expect(try await harness.pairs("acme-dmp", "NOSID").isEmpty, "GPP's section 2 decides without gpp_sid")
        #expect(try await harness.pairs("acme-dmp", "USONLY").count == 1, "gpp_sid without 2: GDPR does not apply")
        #expect(Self.count(harness, "sync", "no_consent") == 2)
    }

    @Test func aPartnerWithAVendorIDNeedsItsOwnConsentToo() async throws {
        let harness = try await Self.harness()
        try await Self.sync(harness, [
            ("BAKERYONLY", "gdpr=1&gdpr_consent=\(Self.grantsBakery)"),
            ("BOTH", "gdpr=1&gdpr_consent=\(Self.grantsBoth)"),
            ("GPPBOTH", "gpp=\(Self.gpp(Self.grantsBoth))&gpp_sid=2"),
        ], partner: "PO_1a2b3c4d")
        #expect(try await harness.pairs("PO_1a2b3c4d", "BAKERYONLY").isEmpty)
        #expect(try await harness.pairs("PO_1a2b3c4d", "BOTH").count == 1)
        #expect(try await harness.pairs("PO_1a2b3c4d", "GPPBOTH").count == 1)
        // acme's partner has no vendor id: Bakery's consent is enough.
        try await Self.sync(harness, [("BAKERYONLY", "gdpr=1&gdpr_consent=\(Self.grantsBakery)")])
        #expect(try await harness.pairs("acme-dmp", "BAKERYONLY").count == 1)
    }

    @Test func withoutBakerysVendorIDNothingGDPRAppliesToIsStored() async throws {
        let harness = try await Self.harness(vendorID: nil)
        try await Self.sync(harness, [
            ("GRANT", "gdpr=1&gdpr_consent=\(Self.grantsBoth)"),
            ("OUTSIDE", "gdpr=0"),
            ("NOSIGNAL", "site=nu.nl"),
        ])
        #expect(try await harness.pairs("acme-dmp", "GRANT").isEmpty)
        #expect(try await harness.pairs("acme-dmp", "OUTSIDE").count == 1)
        #expect(try await harness.pairs("acme-dmp", "NOSIGNAL").count == 1)
        #expect(Self.count(harness, "sync", "no_consent") == 1)
    }

    @Test func theBakeEndpointFollowsTheSameRule() async throws {
        let harness = try await Self.harness()
        let hashes = ["1", "2", "3"].map { IdentifierHash.sha256(of: "bake-consent-\($0)") }
        try await harness.test { client in
            for (hash, query) in zip(hashes, [
                "gdpr=1&gdpr_consent=\(Self.grantsBakery)", "gdpr=1&gdpr_consent=\(Self.otherVendor)",
                "gpp=DBABMA~garbage*&gpp_sid=2",
            ]) {
                try await client.execute(uri: "/bakery/bake?publisher=nu&email=\(hash.hex)&\(query)", method: .get) {
                    response in
                    #expect(response.status == .ok)
                }
            }
        }
        #expect(try await harness.store.graphEdges(hash: hashes[0]).count == 1)
        #expect(try await harness.store.graphEdges(hash: hashes[1]).isEmpty)
        #expect(try await harness.store.graphEdges(hash: hashes[2]).isEmpty)
        #expect(Self.count(harness, "bake", "ok") == 1)
        #expect(Self.count(harness, "bake", "no_consent") == 1)
        #expect(Self.count(harness, "bake", "bad_consent_string") == 1)
    }

    @Test(arguments: [
        ("gdpr=2", "gdpr must be 0 or 1"),
        ("gdpr=yes", "gdpr must be 0 or 1"),
        ("gdpr_consent=\(String(repeating: "A", count: 4_097))", "gdpr_consent longer than 4096 bytes"),
        ("gpp=\(String(repeating: "A", count: 8_193))", "gpp longer than 8192 bytes"),
        ("gpp_sid=\(String(repeating: "2,", count: 128))2", "gpp_sid longer than 256 bytes"),
        ("gpp_sid=2,x", "gpp_sid must be section ids separated by commas, each from -1 to 255"),
        ("gdpr_consent=CO%0Aabc", "gdpr_consent contains control characters"),
    ])
    func malformedConsentParametersAre400(query: String, message: String) async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            try await client.execute(uri: "\(Self.sync)?partner=acme-dmp&cookieid=C&\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body) == message + "\n")
            }
            try await client.execute(uri: "/bakery/bake?publisher=nu&email=\(Self.email)&\(query)", method: .get) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body) == message + "\n")
            }
        }
        #expect(try await harness.pairs("acme-dmp", "C").isEmpty)
        #expect(Self.count(harness, "sync", "bad_request") == 1)
        #expect(Self.count(harness, "bake", "bad_request") == 1)
    }
}
