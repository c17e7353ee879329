// swift-tools-version:6.0
// The ceilings for `scripts/bench server`: Hummingbird 2 (hummingbird-pixel) and a bare SwiftNIO HTTP/1 handler
// (nio-pixel) answering the sync path with the 43-byte GIF and a fixed Set-Cookie, nothing else (no query parsing,
// no partner lookup, no storage, no metrics). Kept outside the main package so its build never slows the normal one.
import PackageDescription

let package = Package(
    name: "hummingbird-pixel",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "hummingbird-pixel",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird"), "PixelResponse"]
        ),
        .executableTarget(
            name: "nio-pixel",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), "PixelResponse",
            ]
        ),
        .target(name: "PixelResponse"),
    ],
    swiftLanguageModes: [.v6]
)
