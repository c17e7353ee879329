// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Bakery",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bakery", targets: ["bakery"]),
        .library(name: "BakeryCore", targets: ["BakeryCore"]),
        .library(name: "BakerySQLite", targets: ["BakerySQLite"]),
        .library(name: "BakeryConsole", targets: ["BakeryConsole"]),
        // For Fuzz/, the libFuzzer package scripts/fuzz builds with -sanitize=fuzzer,address.
        .library(name: "BakeryFuzzTargets", targets: ["BakeryFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // Domain, normalisation, matching, export writing and the Store protocol.
        // No UI, HTTP or database-driver imports here.
        .target(
            name: "BakeryCore",
            dependencies: [
                "CPhoneNumber", "CBakeryZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // libphonenumber behind a C header, so Swift never sees C++ types.
        .target(name: "CPhoneNumber", linkerSettings: [.linkedLibrary("phonenumber")]),
        // The system zlib, for streaming `.csv.gz` uploads (ZIPFoundation already owns the module name CZlib).
        .systemLibrary(name: "CBakeryZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The embedded default store: SQLite through GRDB.
        .target(
            name: "BakerySQLite",
            dependencies: [
                "BakeryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // libncursesw, wide-character build; the shim header re-exports what Swift cannot import directly.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The operations console: cell grid, widgets, themes, key map and views. ncurses is only its driver.
        .target(name: "BakeryConsole", dependencies: ["BakeryCore", "CNcurses"]),
        // The sync and bake endpoints, the batching writer, /healthz and /metrics.
        .target(
            name: "BakeryServer",
            dependencies: [
                "BakeryCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // An S3 client: AWS Signature Version 4 and the object calls Bakery needs, on async-http-client.
        // Knows nothing of Bakery.
        .target(
            name: "BakeryS3",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // SFTP through the OpenSSH client in batch mode (`sftp -b`), host keys checked. Knows nothing of Bakery.
        .target(name: "BakerySFTP"),
        // The core's file sources and destinations on S3 and SFTP, and the connector that opens a configured location.
        .target(name: "BakeryStorage", dependencies: ["BakeryCore", "BakeryS3", "BakerySFTP"]),
        // What each fuzz target feeds its input to: shared by Fuzz/ and the fuzz regression tests.
        .target(
            name: "BakeryFuzzTargets",
            dependencies: [
                "BakeryCore", "BakeryConsole", "BakeryServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ]),
        // Shared by every test target: the store conformance suite and fixtures.
        .target(name: "BakeryTesting", dependencies: ["BakeryCore"]),
        // For the storage tests: where the servers scripts/test starts are, fresh locations on them, and a proxy
        // that makes them drop connections or answer 500/503 for a while.
        .target(name: "BakeryTestPeers", dependencies: ["BakeryCore", "BakeryS3"]),
        // The executable only parses arguments and wires the pieces together.
        .executableTarget(
            name: "bakery",
            dependencies: [
                "BakeryCore", "BakerySQLite", "BakeryConsole", "BakeryServer", "BakeryStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "BakeryCoreTests",
            dependencies: [
                "BakeryCore", "BakeryTesting", "BakeryFuzzTargets",
                // Only to write the .gz and .zip fixtures the tests read back.
                "CBakeryZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The Python oracle the consent tests run (iab-tcf decodes what Bakery's decoder decodes).
            exclude: ["Consent/Oracle"]
        ),
        .testTarget(
            name: "BakerySQLiteTests",
            dependencies: ["BakerySQLite", "BakeryTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Runs the built `bakery` binary; depends on it so `swift build --build-tests` builds it first.
        // Also renders the console on the database the CLI wrote, to check that both show the same figures.
        .testTarget(
            name: "BakeryCLITests",
            dependencies: [
                "bakery", "BakeryConsole", "BakerySQLite", "BakeryStorage", "BakeryTestPeers", "BakeryTesting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Snapshots"]),
        .testTarget(
            name: "BakeryServerTests",
            dependencies: [
                "BakeryServer", "BakerySQLite", "BakeryTesting", "BakeryTestPeers",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "BakeryConsoleTests",
            // The operator views are tested on a real SQLite store holding a fixed dataset.
            dependencies: ["BakeryConsole", "BakeryCore", "BakerySQLite", "BakeryTesting"],
            exclude: ["Snapshots"]
        ),
        // Against a real S3 server on loopback (moto with IAM on): scripts/test starts it and sets BAKERY_TEST_S3.
        .testTarget(
            name: "BakeryS3Tests",
            dependencies: ["BakeryS3", "BakeryTestPeers", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Vectors")]),
        // Against a real OpenSSH server on loopback: scripts/test starts it and sets BAKERY_TEST_SFTP_*.
        .testTarget(name: "BakerySFTPTests", dependencies: ["BakerySFTP"]),
        // The storage flows against the real S3 and SFTP servers scripts/test starts.
        .testTarget(
            name: "BakeryStorageTests",
            dependencies: ["BakeryStorage", "BakeryS3", "BakerySQLite", "BakeryTesting", "BakeryTestPeers"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
