// swift-tools-version:6.0
// The framework's own ceiling for `scripts/bench server`: Hummingbird 2 answering the sync path with the 43-byte
// GIF and a fixed Set-Cookie, nothing else (no query parsing, no partner lookup, no storage, no metrics). Kept
// outside the main package so its build never slows the normal one.
import PackageDescription

let package = Package(
    name: "hummingbird-pixel",
    platforms: [.macOS(.v14)],
    dependencies: [.package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1")],
    targets: [
        .executableTarget(
            name: "hummingbird-pixel",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ],
    swiftLanguageModes: [.v6]
)
