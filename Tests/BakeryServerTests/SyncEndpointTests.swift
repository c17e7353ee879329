import BakeryCore
import BakeryServer
import BakeryTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Sync endpoint")
struct SyncEndpointTests {
    static let path = "/bakery/sync/dmpsyncendpoint"

    @Test func aSyncAnswersTheGIFMintsTheCookieAndStoresThePair() async throws {
        let harness = try await ServerHarness()
        let minted = Captured<String>()
        try await harness.test { client in
            try await client.execute(
                uri: "\(Self.path)?site=nu.nl&partner=acme-dmp&cookieid=C-1&read=false", method: .get
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/gif")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(Array(response.body.readableBytesView).count == 43)
                #expect(Array(response.body.readableBytesView.prefix(6)) == Array("GIF89a".utf8))
                let daID = try #require(response.cookie("da_id"))
                #expect(DAID.isValid(daID))
                let attributes = response.cookieAttributes("da_id")
                #expect(
                    attributes.isSuperset(of: ["secure", "httponly", "samesite=none", "path=/", "max-age=34214400"]))
                await minted.set(daID)
            }
        }
        let pairs = try await harness.pairs("acme-dmp", "C-1")
        #expect(pairs.count == 1)
        #expect(pairs.first?.daID == (await minted.value))
        #expect(pairs.first?.site == "nu.nl" && pairs.first?.hits == 1 && pairs.first?.clientID == "acme")
        #expect(pairs.first?.lastSeen == Fixtures.now)
    }

    @Test func aValidCookieIsKeptAndItsLifetimeRefreshedAMalformedOneReplaced() async throws {
        let harness = try await ServerHarness {
            $0.cookieDomain = "bakery.example"; $0.cookieLifetime = 86_400
        }
        try await harness.test { client in
            try await client.execute(
                uri: "\(Self.path)?partner=acme-dmp&cookieid=C-2", method: .get,
                headers: [.cookie: "da_id=\(ServerHarness.validDA)"]
            ) { response in
                #expect(response.cookie("da_id") == ServerHarness.validDA)
                #expect(response.cookieAttributes("da_id").isSuperset(of: ["domain=bakery.example", "max-age=86400"]))
            }
            try await client.execute(
                uri: "\(Self.path)?partner=acme-dmp&cookieid=C-3", method: .get, headers: [.cookie: "da_id=not-a-da-id"]
            ) { response in
                let fresh = try #require(response.cookie("da_id"))
                #expect(fresh != "not-a-da-id" && DAID.isValid(fresh))
            }
        }
        #expect(try await harness.pairs("acme-dmp", "C-2").first?.daID == ServerHarness.validDA)
        #expect(try await harness.pairs("acme-dmp", "C-3").first.map { DAID.isValid($0.daID) } == true)
    }

    @Test func pianoSendsParcidAndAPOPartnerKey() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(uri: "\(Self.path)?partner=PO_1a2b3c4d&parcid=piano-77&site=hs.fi", method: .get) {
                response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await harness.pairs("PO_1a2b3c4d", "piano-77").first?.clientID == "pianoco")
    }

    @Test func readTrueRedirectsToTheCallbackWithTheDAIDOrAnswersTheGIF() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(
                uri: "\(Self.path)?partner=acme-dmp&cookieid=C-4&read=true", method: .get,
                headers: [.cookie: "da_id=\(ServerHarness.validDA)"]
            ) { response in
                #expect(response.status == .found)
                #expect(
                    response.headers[.location]
                        == "https://dmp.example/match?bakery=\(ServerHarness.validDA)&src=bakery")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.cookie("da_id") == ServerHarness.validDA)
            }
            try await client.execute(uri: "\(Self.path)?partner=PO_1a2b3c4d&cookieid=C-5&read=true", method: .get) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/gif")
            }
        }
        #expect(try await harness.pairs("acme-dmp", "C-4").count == 1)
        #expect(try await harness.pairs("PO_1a2b3c4d", "C-5").count == 1)
    }

    @Test(arguments: [
        ("?partner=acme-dmp", "missing cookieid"),
        ("?partner=acme-dmp&cookieid=", "missing cookieid"),
        ("?cookieid=C", "missing partner"),
        ("?partner=&cookieid=C", "missing partner"),
        ("?partner=nobody&cookieid=C", "unknown partner"),
        ("?partner=acme-dmp&cookieid=\(String(repeating: "x", count: 257))", "cookieid longer than 256 bytes"),
        ("?partner=acme-dmp&cookieid=C%01D", "cookieid contains control characters"),
        ("?partner=acme-dmp&cookieid=C&site=a%0Ab", "site contains control characters"),
        ("?partner=acme-dmp&cookieid=C&read=maybe", "read must be true or false"),
        ("?partner=\(String(repeating: "p", count: 65))&cookieid=C", "partner longer than 64 bytes"),
    ])
    func badRequestsAre400AndStoreNothing(query: String, message: String) async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(uri: Self.path + query, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body) == message + "\n")
                #expect(response.setCookies.isEmpty)
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
        #expect(try await harness.store.counts(clientID: "acme", now: Fixtures.now).syncedCookies == 0)
        let outcome = message == "unknown partner" ? "unknown_partner" : "bad_request"
        #expect(
            harness.server.metrics.text().contains("bakery_requests_total{endpoint=\"sync\",outcome=\"\(outcome)\"} 1"))
    }

    @Test func withoutConsentOrWithTheOptOutCookieNothingIsStored() async throws {
        let harness = try await ServerHarness { $0.tcfVendorID = 1_234 }
        let granting = TCStringBuilder(vendors: [1_234]).encoded
        try await harness.test { client in
            for query in ["&gdpr=1", "&gdpr=1&gdpr_consent="] {
                try await client.execute(uri: "\(Self.path)?partner=acme-dmp&cookieid=NC\(query)", method: .get) {
                    response in
                    #expect(response.status == .ok && response.headers[.contentType] == "image/gif")
                    #expect(response.cookie("da_id") == nil)
                }
            }
            try await client.execute(
                uri: "\(Self.path)?partner=acme-dmp&cookieid=OPT", method: .get,
                headers: [.cookie: "da_id=\(ServerHarness.validDA); da_optout=1"]
            ) { response in
                #expect(response.status == .ok && response.cookie("da_id") == nil)
            }
            try await client.execute(
                uri: "\(Self.path)?partner=acme-dmp&cookieid=YES&gdpr=1&gdpr_consent=\(granting)", method: .get
            ) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await harness.pairs("acme-dmp", "NC").isEmpty)
        #expect(try await harness.pairs("acme-dmp", "OPT").isEmpty)
        #expect(try await harness.pairs("acme-dmp", "YES").count == 1)
        let metrics = harness.server.metrics.text()
        #expect(metrics.contains("bakery_requests_total{endpoint=\"sync\",outcome=\"no_consent\"} 2"))
        #expect(metrics.contains("bakery_requests_total{endpoint=\"sync\",outcome=\"opted_out\"} 1"))
    }

    @Test func theOptOutEndpointSetsTheOptOutCookieAndExpiresTheDAID() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(uri: "/bakery/optout", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.cookie("da_optout") == "1")
                #expect(
                    response.cookieAttributes("da_optout").isSuperset(of: [
                        "secure", "httponly", "samesite=none", "path=/",
                    ]))
                #expect(response.cookie("da_id") == "")
                #expect(response.cookieAttributes("da_id").contains("max-age=0"))
            }
        }
    }

    @Test func aFullQueueAnswers503() async throws {
        let harness = try await ServerHarness { $0.queueCapacity = 2 }
        try await server503(harness)
        #expect(harness.server.metrics.text().contains("outcome=\"overloaded\"} 1"))
        // Nothing answered 200 was lost: both accepted hits are committed.
        #expect(try await harness.store.counts(clientID: "acme", now: Fixtures.now).syncedCookies == 2)
    }

    private func server503(_ harness: ServerHarness) async throws {
        try await harness.test { client in
            for index in 0..<3 {
                try await client.execute(uri: "\(Self.path)?partner=acme-dmp&cookieid=Q\(index)", method: .get) {
                    response in
                    #expect(response.status == (index < 2 ? .ok : .serviceUnavailable))
                }
            }
        }
    }
}
