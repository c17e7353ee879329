import Hummingbird

// Usage: hummingbird-pixel PORT
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 18383 : 18383
let gif: [UInt8] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]
let cookie = "da_id=0123456789abcdef0123456789abcdef; Max-Age=34214400; Path=/; Secure; HttpOnly; SameSite=None"
let router = Router()
router.get("bakery/sync/dmpsyncendpoint") { _, _ in
    Response(
        status: .ok, headers: [.contentType: "image/gif", .cacheControl: "no-store", .setCookie: cookie],
        body: .init(byteBuffer: ByteBuffer(bytes: gif)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
