import BakeryCore
import BakerySQLite
import BakeryServer
import BakeryTesting
import Foundation
import HTTPTypes
import HummingbirdTesting

/// A server over a fresh SQLite store with two clients: `acme` (partner `acme-dmp`, with a read-back callback)
/// and `pianoco` (Piano, partner `PO_1a2b3c4d`, no callback).
struct ServerHarness {
    let store: SQLiteStore
    let server: BakeryHTTPServer

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("s.sqlite").path, mode: .createIfMissing)
        var acme = Fixtures.client("acme", partners: ["acme-dmp"])
        acme.partners[0].callbackURL = "https://dmp.example/match?bakery=${DA_ID}&src=bakery"
        try await store.addClient(acme)
        try await store.addClient(Fixtures.client("pianoco", partners: ["PO_1a2b3c4d"], dmp: .piano))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        server = BakeryHTTPServer(store: store, configuration: configuration, now: { Fixtures.now })
    }

    /// Runs `body` against the server on a loopback port (`.live`: the pixels answered on the event loop, the rest
    /// by the router) or against the router alone (`.router`, no sockets), then commits everything the endpoints
    /// accepted.
    func test(
        _ setup: TestingSetup = .live, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await server.loadPartners()
        try await server.makeApplication().test(setup, body)
        await server.writer.drain()
    }

    func pairs(_ partner: String, _ cookie: String) async throws -> [SyncPair] {
        try await store.syncPairs(partner: partner, cookieID: cookie)
    }

    static let validDA = "0123456789abcdef0123456789abcdef"
}

extension TestResponse {
    var setCookies: [String] { headers[values: .setCookie] }

    /// The value the response sets for cookie `name`, if any.
    func cookie(_ name: String) -> String? {
        for header in setCookies where header.hasPrefix("\(name)=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// The attributes of the Set-Cookie for `name`, lower-cased, without the name=value part.
    func cookieAttributes(_ name: String) -> Set<String> {
        guard let header = setCookies.first(where: { $0.hasPrefix("\(name)=") }) else { return [] }
        return Set(
            header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }
}

/// A value a test closure hands back to the test.
actor Captured<Value: Sendable> {
    private(set) var value: Value?
    func set(_ newValue: Value) { value = newValue }
}
