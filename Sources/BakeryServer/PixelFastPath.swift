import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers the sync and bake pixels on the connection's event loop, in front of the Hummingbird router.
///
/// The answers themselves are ``PixelEndpoints``' (the same code the routes call); what this handler saves is
/// the way there. A request through the router becomes a task on the global executor, an async iterator over the
/// request parts and an async writer back: in `scripts/bench server` bare Hummingbird answers the pixel at 57-65 % of
/// what a bare SwiftNIO handler does on the same machine, and with Bakery's own work on top that framework cost is
/// the larger part of a sync request's CPU. A pixel answer needs no waiting (the partner directory is in memory, the
/// write goes to the queue), so it is made and written here, in the same event-loop tick that read the request.
///
/// Everything else goes on to the router unchanged: other paths, other methods, `Connection: close`, the first sync
/// after the partner directory went stale (the route reloads it), and any request on a connection whose earlier
/// request the router is still answering, so HTTP/1.1 answers keep their order. The handler sits after
/// Hummingbird's connection-state handler, which therefore sees every request and answer (idle timeout, graceful
/// shutdown).
final class PixelFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let syncPath = "/bakery/sync/dmpsyncendpoint"
    static let bakePath = "/bakery/bake"

    private let endpoints: PixelEndpoints
    /// Requests handed to the router whose answer has not ended yet.
    private var routed = 0
    /// The answer to the request being read, written when its end arrives.
    private var pending: PixelAnswer?
    /// Whether the parts being read belong to a request answered here.
    private var absorbing = false
    private var date = HTTPDate()

    init(endpoints: PixelEndpoints) { self.endpoints = endpoints }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if routed == 0, let answer = answer(head) {
                endpoints.metrics.pixelsOnEventLoop.increment()
                pending = answer
                absorbing = true
                return
            }
            routed += 1
            context.fireChannelRead(data)
        case .body:
            // A GET's body means nothing to a pixel: dropped, like the router's handlers ignore it.
            if !absorbing { context.fireChannelRead(data) }
        case .end:
            guard absorbing else { return context.fireChannelRead(data) }
            absorbing = false
            if let answer = pending {
                pending = nil
                write(answer, context: context)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), routed > 0 { routed -= 1 }
        context.write(data, promise: promise)
    }

    /// The answer for a pixel request, or nil to hand it to the router.
    private func answer(_ head: HTTPRequest) -> PixelAnswer? {
        guard head.method == .get, let target = head.path, head.headerFields[.connection] != "close" else { return nil }
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        guard path == Self.syncPath || path == Self.bakePath else { return nil }
        let (query, cookies) = (URI(target).queryParameters, Cookies(from: head.headerFields[values: .cookie]))
        return path == Self.syncPath ? endpoints.sync(query, cookies) : endpoints.bake(query, cookies)
    }

    private func write(_ answer: PixelAnswer, context: ChannelHandlerContext) {
        var headers = answer.headers
        headers[.contentLength] = String(answer.body.readableBytes)
        headers[.date] = date.now()
        headers[.server] = BakeryHTTPServer.serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        if answer.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// Hummingbird's HTTP/1 channel with ``PixelFastPath`` placed after its connection-state handler.
struct PixelChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let endpoints: PixelEndpoints

    var responder: Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
            try pipeline.addHandler(
                PixelFastPath(endpoints: endpoints), position: .after(state))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

/// The `Date` header's value (RFC 9110 IMF-fixdate), formatted at most once a second.
struct HTTPDate {
    private var second = -1
    private var text = ""

    mutating func now() -> String {
        var clock = time(nil)
        guard Int(clock) != second else { return text }
        var parts = tm()
        gmtime_r(&clock, &parts)
        var buffer = [CChar](repeating: 0, count: 40)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        second = Int(clock)
        return text
    }
}
