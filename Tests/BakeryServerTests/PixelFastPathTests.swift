import BakeryCore
import BakeryServer
import BakeryTestPeers
import BakeryTesting
import Foundation
import Glibc
import HTTPTypes
import HummingbirdTesting
import Testing

/// The sync and bake pixels are answered on the event loop in front of the router: the same answers, every other
/// request still routed, HTTP/1.1 answers in order.
@Suite("Pixel fast path")
struct PixelFastPathTests {
    static let requests: [(uri: String, cookie: String?)] = [
        ("/bakery/sync/dmpsyncendpoint?site=a.example&partner=acme-dmp&cookieid=F1", nil),
        ("/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=F2", "da_id=\(ServerHarness.validDA)"),
        ("/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=F3&read=true", "da_id=\(ServerHarness.validDA)"),
        ("/bakery/sync/dmpsyncendpoint?partner=acme-dmp", nil),
        ("/bakery/sync/dmpsyncendpoint?partner=nobody&cookieid=F4", nil),
        ("/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=F5", "da_optout=1"),
        ("/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=F6&gdpr=1", nil),
        ("/bakery/bake?publisher=nu&email=\(Fixtures.hash("a@example.com").hex)", "da_id=\(ServerHarness.validDA)"),
        ("/bakery/bake?publisher=nu&email=nothex", nil),
    ]

    /// What a client sees of an answer, without what differs by design: the Date, and a newly minted DA id.
    struct Seen: Equatable, CustomStringConvertible {
        var status: Int
        var headers: [String: String]
        var cookieAttributes: Set<String>
        var body: String
        var description: String { "\(status) \(headers) \(cookieAttributes) \(body)" }
    }

    static func seen(_ response: TestResponse) -> Seen {
        var headers: [String: String] = [:]
        for field in response.headers where ![.date, .contentLength, .server, .setCookie].contains(field.name) {
            headers[field.name.canonicalName] = field.value
        }
        var cookie = response.setCookies.map { $0.split(separator: ";").first.map(String.init) ?? "" }.joined(separator: ",")
        if let minted = response.cookie("da_id"), minted != ServerHarness.validDA {
            #expect(DAID.isValid(minted))
            cookie = cookie.replacingOccurrences(of: minted, with: "MINTED")
            headers["location"] = headers["location"]?.replacingOccurrences(of: minted, with: "MINTED")
        }
        headers["set-cookie"] = cookie
        return Seen(
            status: Int(response.status.code), headers: headers, cookieAttributes: response.cookieAttributes("da_id"),
            body: String(buffer: response.body))
    }

    func answers(_ setup: TestingSetup) async throws -> (seen: [Seen], metrics: String, pairs: Int) {
        let harness = try await ServerHarness { $0.tcfVendorID = 755 }
        let collected = Captured<[Seen]>()
        try await harness.test(setup) { client in
            var seen: [Seen] = []
            for request in Self.requests {
                let headers: HTTPFields = request.cookie.map { [.cookie: $0] } ?? [:]
                seen.append(Self.seen(try await client.execute(uri: request.uri, method: .get, headers: headers)))
            }
            await collected.set(seen)
        }
        let pairs = try await harness.store.syncPairs(daID: ServerHarness.validDA).count
        return (try #require(await collected.value), harness.server.metrics.text(), pairs)
    }

    @Test func theEventLoopAnswersAsTheRouterDoes() async throws {
        let routed = try await answers(.router)
        let live = try await answers(.live)
        #expect(routed.seen.count == Self.requests.count)
        for (index, (router, fast)) in zip(routed.seen, live.seen).enumerated() {
            #expect(router == fast, "\(Self.requests[index].uri)")
        }
        // The same writes reached the store.
        #expect(routed.pairs == 2 && live.pairs == 2)
        // And the live server made them on the event loop (all but the unknown partner's, when the partner list is
        // older than a second by then: that one waits for a reload through the router), the other through the router.
        let onLoop = Self.counter(live.metrics, path: "event_loop"), viaRouter = Self.counter(live.metrics, path: "router")
        #expect(onLoop + viaRouter == Self.requests.count && onLoop >= Self.requests.count - 1, "\(onLoop), \(viaRouter)")
        #expect(Self.counter(routed.metrics, path: "router") == Self.requests.count)
        #expect(Self.counter(routed.metrics, path: "event_loop") == 0)
    }

    static func counter(_ metrics: String, path: String) -> Int {
        let prefix = #"bakery_pixel_answers_total{path=""# + path + #""} "#
        return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? -1
    }

    @Test func anAnswerCarriesItsLengthDateAndServer() async throws {
        let harness = try await ServerHarness()
        try await harness.test { client in
            let response = try await client.execute(
                uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=L", method: .get)
            #expect(response.headers[.contentLength] == "43" && response.body.readableBytes == 43)
            #expect(response.headers[.server] == "bakery")
            #expect(response.headers[.date]?.hasSuffix(" GMT") == true)
        }
    }

    /// Two requests pipelined on one connection: the first is routed (health reads the store), the second is a sync
    /// the event loop could answer at once. It waits its turn: answers leave in the order the requests came.
    @Test func aPipelinedSyncBehindARoutedRequestIsAnsweredAfterIt() async throws {
        let harness = try await ServerHarness()
        let text = Captured<String>()
        try await harness.test { client in
            let port = try #require(client.port)
            let socket = try #require(Self.connect(port))
            defer { close(socket) }
            let requests =
                "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=P1 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=P2 HTTP/1.1\r\nHost: t\r\n\r\n"
            _ = requests.withCString { send(socket, $0, strlen($0), 0) }
            // The blocking reads on a thread of their own: on the concurrency pool they could take the threads the
            // router needs to answer the health check.
            let received = await withCheckedContinuation { continuation in
                Thread {
                    continuation.resume(
                        returning: Self.read(socket, until: { $0.components(separatedBy: "HTTP/1.1 200").count == 4 }))
                }.start()
            }
            await text.set(received)
        }
        let answers = try #require(await text.value).components(separatedBy: "HTTP/1.1 ").dropFirst()
        #expect(answers.count == 3)
        #expect(answers.first?.contains("image/gif") == false, "the health answer comes first")
        #expect(answers.dropFirst().allSatisfy { $0.contains("image/gif") })
        #expect(try await harness.pairs("acme-dmp", "P1").count == 1)
        #expect(try await harness.pairs("acme-dmp", "P2").count == 1)
    }

    @Test func withoutTheFastPathTheRouterAnswersEveryPixel() async throws {
        let harness = try await ServerHarness { $0.pixelFastPath = false }
        try await harness.test { client in
            let response = try await client.execute(
                uri: "/bakery/sync/dmpsyncendpoint?partner=acme-dmp&cookieid=R", method: .get)
            #expect(response.status == .ok)
        }
        #expect(harness.server.metrics.text().contains(#"bakery_pixel_answers_total{path="router"} 1"#))
        #expect(try await harness.pairs("acme-dmp", "R").count == 1)
    }

    /// A socket to the server that gives up a read after 30 s (a loaded CI machine).
    static func connect(_ port: Int) -> Int32? {
        guard let fd = LoopbackSocket.connect(port) else { return nil }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// What the socket sends until `done` holds, the peer closes, or 30 s pass without a byte.
    static func read(_ fd: Int32, until done: (String) -> Bool) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while !done(String(decoding: received, as: UTF8.self)) {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
