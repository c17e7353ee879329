import BakeryCore
import BakeryServer
import BakeryTesting
import Foundation
import HummingbirdTesting
import Testing

@Suite("Bake endpoint")
struct BakeEndpointTests {
    static let email = "a7df77a9db89b44110c704b680a24978579a3069b419db95cbda84541094adba"
    static let device = "6D92078A-8246-4BA4-AE5B-76104861E7DC"

    @Test func linksTheDAIDAndTheDeviceToTheEmailHash() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(
                uri:
                    "/bakery/bake?publisher=nu&did=\(Self.device)&dtype=IDFA&email=\(Self.email.uppercased())&category=[news,sport]",
                method: .get, headers: [.cookie: "da_id=\(ServerHarness.validDA)"]
            ) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "image/gif")
                #expect(response.cookie("da_id") == ServerHarness.validDA)
            }
        }
        let hash = try #require(IdentifierHash(hex: Self.email))
        let nodes = Set(try await harness.store.graphEdges(hash: hash).map(\.node))
        #expect(nodes == [.daID(ServerHarness.validDA), .device(.idfa, Self.device.lowercased())])
        let browser = try await harness.store.graphEdges(node: .daID(ServerHarness.validDA))
        #expect(Set(browser.map(\.identifier.kind)) == [.email, .idfa])
        #expect(browser.contains { $0.identifier == Identifier(.idfa, .sha256(of: Self.device.lowercased())) })
    }

    @Test func withoutACookieADAIDIsMinted() async throws {
        let harness = try await ServerHarness()
        let minted = Captured<String>()
        try await harness.test { client in
            try await client.execute(uri: "/bakery/bake?publisher=nu&email=\(Self.email)", method: .get) { response in
                let daID = try #require(response.cookie("da_id"))
                await minted.set(daID)
            }
        }
        let daID = try #require(await minted.value)
        #expect(try await harness.store.graphEdges(node: .daID(daID)).count == 1)
    }

    @Test(arguments: [
        "/bakery/bake?email=\(email)",
        "/bakery/bake?publisher=nu",
        "/bakery/bake?publisher=nu&email=abc",
        "/bakery/bake?publisher=nu&email=\(email)&did=\(device)",
        "/bakery/bake?publisher=nu&email=\(email)&did=\(device)&dtype=IMEI",
        "/bakery/bake?publisher=nu&email=\(email)&did=not-a-uuid&dtype=AAID",
        "/bakery/bake?publisher=n%00u&email=\(email)",
    ])
    func badBakeRequestsAre400AndStoreNothing(uri: String) async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(try await harness.store.graphEdges(hash: IdentifierHash(hex: Self.email)!).isEmpty)
    }

    @Test func withoutConsentNothingIsLinked() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            try await client.execute(uri: "/bakery/bake?publisher=nu&email=\(Self.email)&gdpr=1", method: .get) {
                response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await harness.store.graphEdges(hash: IdentifierHash(hex: Self.email)!).isEmpty)
    }
}
