import NIOCore
import NIOHTTP1
import NIOPosix
import PixelResponse

// Usage: nio-pixel PORT
// A bare SwiftNIO HTTP/1 server answering the sync path with the same GIF and fixed cookie as hummingbird-pixel: the
// ceiling under any framework on this machine, for `scripts/bench server`. Keep-alive as clients use it; anything
// but a GET of the path is a 404.
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 18484 : 18484
let gif = PixelResponse.gif
let cookie = PixelResponse.cookie
let path = PixelResponse.path

final class PixelHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let found = request.method == .GET && (request.uri == path || request.uri.hasPrefix(path + "?"))
        var headers = HTTPHeaders()
        if found {
            headers.add(name: "Content-Type", value: "image/gif")
            headers.add(name: "Cache-Control", value: "no-store")
            headers.add(name: "Set-Cookie", value: cookie)
        }
        headers.add(name: "Content-Length", value: found ? "\(gif.count)" : "0")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: found ? .ok : .notFound, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if found { context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: gif)))), promise: nil) }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { [context] _ in context.close(promise: nil) } }
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let channel = try await ServerBootstrap(group: group)
    .serverChannelOption(ChannelOptions.backlog, value: 256)
    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(PixelHandler()) }
    }
    .bind(host: "127.0.0.1", port: port)
    .get()
try await channel.closeFuture.get()
