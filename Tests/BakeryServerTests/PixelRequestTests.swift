import BakeryCore
import Foundation
import Hummingbird
import HummingbirdCore
import Testing

@testable import BakeryServer

/// The pure reading of a pixel request that the endpoints and the `pixel-request` fuzz target share.
@Suite("Pixel request parameters")
struct PixelRequestTests {
    static func query(_ target: String) -> PixelRequest.Query { URI(target).queryParameters }

    @Test func aSyncReadsPianosParcidDecodedAndItsConsent() throws {
        let sync = try PixelRequest.sync(
            Self.query("/bakery/sync/dmpsyncendpoint?partner=PO_1a2b3c4d&parcid=abc%20def&read=1&gdpr=0&site=nu.nl"))
        #expect(sync == SyncParameters(
            partner: "PO_1a2b3c4d", cookieID: "abc def", site: "nu.nl", read: true,
            consent: try ConsentSignals(gdpr: "0")))
    }

    @Test(arguments: [
        ("?cookieid=a", "missing partner"), ("?partner=p", "missing cookieid"), ("?partner=p&cookieid=a&read=maybe", "read must be true or false"),
        ("?partner=p&cookieid=a%0A", "cookieid contains control characters"), ("?partner=p&cookieid=a&gdpr=2", "gdpr must be 0 or 1"),
    ])
    func aBadSyncSaysWhat(query: String, message: String) {
        #expect(throws: QueryValue.Invalid(message: message)) { try PixelRequest.sync(Self.query("/s" + query)) }
    }

    @Test func aBakeNormalisesTheDeviceID() throws {
        let bake = try PixelRequest.bake(
            Self.query("/bakery/bake?publisher=nu&email=\(String(repeating: "AB", count: 32))&did=6D92078A-8246-4BA4-AE5B-76104861E7DC&dtype=IDFA"))
        #expect(bake.email.hex == String(repeating: "ab", count: 32))
        #expect(bake.device == .init(kind: .idfa, id: "6d92078a-8246-4ba4-ae5b-76104861e7dc"))
        #expect(throws: QueryValue.Invalid(message: "did and dtype go together")) {
            try PixelRequest.bake(Self.query("/b?publisher=nu&email=\(String(repeating: "ab", count: 32))&did=x"))
        }
    }

    @Test func theDAIDComesFromItsCookieOnlyWhenItIsOne() {
        let valid = "6dccf5567e76693758c847ae88544c03"
        #expect(PixelRequest.daID(Cookies(from: ["other=1; da_id=\(valid)"]), name: "da_id") == valid)
        #expect(PixelRequest.daID(Cookies(from: ["da_id=\(valid.uppercased())"]), name: "da_id") == nil)
        #expect(PixelRequest.daID(Cookies(from: ["da_idx=\(valid)"]), name: "da_id") == nil)
        #expect(PixelRequest.daID(Cookies(from: []), name: "da_id") == nil)
    }
}
