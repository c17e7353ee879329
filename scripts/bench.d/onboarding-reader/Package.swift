// swift-tools-version:6.0
// A release-mode benchmark of CSV reading and CRM row parsing, kept outside the main package so
// its build never slows the normal one. Run it with `scripts/bench reader`.
import PackageDescription

let package = Package(
    name: "bench-onboarding",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Bakery", path: "../../..")],
    targets: [
        .executableTarget(
            name: "bench-onboarding",
            dependencies: [.product(name: "BakeryCore", package: "Bakery")]
        )
    ],
    swiftLanguageModes: [.v6]
)
