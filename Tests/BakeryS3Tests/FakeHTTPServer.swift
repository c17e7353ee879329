import Foundation

import BakeryTestPeers
import Glibc

/// A tiny HTTP/1.1 server on 127.0.0.1 for fault injection: it answers each request as `respond` says, one
/// connection at a time, closing the connection after every response. Real S3 behaviour is tested against moto;
/// this only makes the failures moto cannot (503 SlowDown, a dropped body) happen on demand.
final class FakeHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
    }

    struct Response: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        var body: Data = Data()
        /// Send only this many body bytes (after announcing the whole length), then close.
        var cutAfter: Int?

        static func s3Error(_ status: Int, _ code: String) -> Response {
            Response(
                status: status, headers: ["content-type": "application/xml"],
                body: Data("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>fake \(code)</Message><RequestId>FAKE1</RequestId></Error>".utf8))
        }
    }

    /// Gets the 0-based number of the request and the request.
    typealias Responder = @Sendable (Int, Request) -> Response

    let port: Int
    private let listener: Int32
    private let respond: Responder
    private let lock = NSLock()
    private var received: [Request] = []

    var requests: [Request] { lock.withLock { received } }

    init(_ respond: @escaping Responder) throws {
        (listener, port) = try LoopbackSocket.listen(backlog: 16)
        self.respond = respond
        Thread { [self] in serve() }.start()
    }

    /// Stops accepting; safe to call more than once.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        func readMore() -> Bool {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { return false }
            data.append(buffer, count: n)
            return true
        }
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil { guard readMore() else { return } }
        let headEnd = data.range(of: separator)!
        let head = String(decoding: data[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while data.count - headEnd.upperBound < length { guard readMore() else { return } }
        let request = Request(
            method: parts.count > 0 ? String(parts[0]) : "", target: parts.count > 1 ? String(parts[1]) : "",
            headers: headers, body: Data(data[headEnd.upperBound..<(headEnd.upperBound + length)]))
        let number = lock.withLock {
            received.append(request)
            return received.count - 1
        }
        let response = respond(number, request)
        var text = "HTTP/1.1 \(response.status) Fake\r\nconnection: close\r\ncontent-length: \(response.body.count)\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var out = Data(text.utf8)
        if request.method != "HEAD" { out += response.body.prefix(response.cutAfter ?? response.body.count) }
        LoopbackSocket.send(connection, out)
    }
}
