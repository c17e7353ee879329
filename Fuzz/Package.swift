// swift-tools-version:6.0
// libFuzzer targets for Bakery's parsers. Not part of the main build: scripts/fuzz builds this package with
// `-sanitize=fuzzer,address` and runs each target on its seed corpus in Corpus/ (docs/reliability.md, Fuzzing).
import PackageDescription

let package = Package(
    name: "BakeryFuzz",
    dependencies: [.package(name: "Bakery", path: "..")],
    targets: [
        .executableTarget(
            name: "bakery-fuzz",
            dependencies: [.product(name: "BakeryFuzzTargets", package: "Bakery")]
        )
    ]
)
