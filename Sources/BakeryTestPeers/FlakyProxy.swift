import Foundation
import Glibc

/// A proxy on 127.0.0.1 in front of a real server (moto, sshd) that fails chosen connections, so a whole flow can
/// meet a server that drops connections or answers 500/503 for a while. Everything it lets through is the real
/// server's own answer; it never answers in the server's place except with the failure it injects.
///
/// In ``Mode/http`` each connection carries one request (the proxy adds `Connection: close` to the request it
/// forwards), so "connection *n*" is "request *n*" and a schedule of faults is a schedule of failed requests; an
/// injected status is an S3 error document. In ``Mode/tcp`` the bytes pass untouched and a fault closes the
/// connection at once, as a server going away does.
public final class FlakyProxy: @unchecked Sendable {
    public enum Mode: Sendable { case http, tcp }

    public enum Fault: Sendable, Equatable {
        /// Forward to the server.
        case pass
        /// Close the connection without an answer (in HTTP mode after reading the request).
        case drop
        /// Answer this HTTP status with an S3 error document and close (HTTP mode; in TCP mode it is a drop, and
        /// recorded as one).
        case status(Int)
    }

    public let port: Int
    private let upstream: Int
    private let mode: Mode
    private let schedule: @Sendable (Int) -> Fault
    private let listener: Int32
    private let lock = NSLock()
    private var connections = 0
    private var injected: [Fault] = []

    /// - Parameter schedule: the fate of the connection with this 0-based number.
    public init(to upstreamPort: Int, mode: Mode, schedule: @escaping @Sendable (Int) -> Fault) throws {
        upstream = upstreamPort
        self.mode = mode
        self.schedule = schedule
        (listener, port) = try LoopbackSocket.listen()
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "FlakyProxy"
        thread.start()
    }

    /// Faults for connections `0..<count` in turn (503, drop, 500, drop, …) every other connection, then none: no
    /// request meets two faults in a row, and a flow meets `count / 2` of them.
    public static func everyOther(until count: Int) -> @Sendable (Int) -> Fault {
        { number in
            guard number < count, number % 2 == 0 else { return .pass }
            return [.status(503), .drop, .status(500), .drop][(number / 2) % 4]
        }
    }

    /// The connections accepted so far.
    public var accepted: Int { lock.withLock { connections } }
    /// The faults injected so far, in order.
    public var faults: [Fault] { lock.withLock { injected } }

    public func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let fault = lock.withLock { () -> Fault in
                var fault = schedule(connections)
                if mode == .tcp && fault != .pass { fault = .drop }
                connections += 1
                if fault != .pass { injected.append(fault) }
                return fault
            }
            let thread = Thread { [self] in handle(client, fault) }
            thread.name = "FlakyProxy connection"
            thread.start()
        }
    }

    private func handle(_ client: Int32, _ fault: Fault) {
        defer { close(client) }
        if mode == .tcp {
            guard fault == .pass else { return }
            pipe(client, head: Data())
            return
        }
        guard var request = Self.readHead(client) else { return }
        switch fault {
        case .pass:
            request.head = Self.closing(request.head)
            pipe(client, head: request.head + request.rest)
        case .drop:
            Self.drain(client, request)
        case .status(let status):
            Self.drain(client, request)
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(status == 503 ? "SlowDown" : "InternalError")"
                + "</Code><Message>injected by FlakyProxy</Message><RequestId>FLAKY</RequestId></Error>"
            let answer = "HTTP/1.1 \(status) Injected\r\ncontent-type: application/xml\r\ncontent-length: \(body.utf8.count)"
                + "\r\nconnection: close\r\n\r\n" + body
            LoopbackSocket.send(client, Data(answer.utf8))
        }
    }

    /// Connects to the server, sends `head`, then copies bytes both ways until both sides are done.
    private func pipe(_ client: Int32, head: Data) {
        guard let server = LoopbackSocket.connect(upstream) else { return }
        defer { close(server) }
        if !head.isEmpty && !LoopbackSocket.send(server, head) { return }
        let done = DispatchSemaphore(value: 0)
        let up = Thread {
            Self.copy(from: client, to: server)
            done.signal()
        }
        up.start()
        Self.copy(from: server, to: client)
        // The server is done answering: the client's direction can end too.
        shutdown(client, Int32(SHUT_RDWR))
        done.wait()
    }

    private static func copy(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if !LoopbackSocket.send(target, Data(buffer[0..<count])) { break }
        }
        shutdown(target, Int32(SHUT_WR))
    }

    private struct Request {
        var head: Data
        var rest: Data
        var contentLength: Int
    }

    private static func readHead(_ fd: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || data.count > 1 << 20 { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        let end = data.range(of: separator)!.upperBound
        let head = data[..<end]
        let length = String(decoding: head, as: UTF8.self).split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return Request(head: Data(head), rest: Data(data[end...]), contentLength: length)
    }

    /// The request head with its `Connection` header replaced by `Connection: close`.
    private static func closing(_ head: Data) -> Data {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let kept = lines.filter { !$0.lowercased().hasPrefix("connection:") }
        return Data((kept.joined(separator: "\r\n") + "\r\nconnection: close\r\n\r\n").utf8)
    }

    /// Reads the rest of the request body, so an answer is not met by a reset while the client still sends.
    private static func drain(_ fd: Int32, _ request: Request) {
        var left = request.contentLength - request.rest.count
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while left > 0 {
            let count = recv(fd, &buffer, min(buffer.count, left), 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            left -= count
        }
    }
}
