import Hummingbird
import PixelResponse

// Usage: hummingbird-pixel PORT
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 18383 : 18383
let gif = PixelResponse.gif
let cookie = PixelResponse.cookie
let router = Router()
router.get("bakery/sync/dmpsyncendpoint") { _, _ in
    Response(
        status: .ok, headers: [.contentType: "image/gif", .cacheControl: "no-store", .setCookie: cookie],
        body: .init(byteBuffer: ByteBuffer(bytes: gif)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
