import Foundation
import Testing

@testable import BakeryConsole

@Suite struct ConsoleConfigurationTests {
    @Test func everyKeyIsOptional() throws {
        #expect(try ConsoleConfiguration.parse("", file: "c.toml") == ConsoleConfiguration())
        #expect(try ConsoleConfiguration.parse("# nothing set\n", file: "c.toml") == ConsoleConfiguration())
        let full = try ConsoleConfiguration.parse(
            "version = 1\ntheme = \"light\"  # daylight office\nlog = \"/var/log/bakery-console.log\"\n",
            file: "c.toml")
        #expect(full == ConsoleConfiguration(theme: "light", log: "/var/log/bakery-console.log"))
    }

    @Test(arguments: [
        ("version = 2", "c.toml:1: version is 2, but this Bakery reads settings version 1"),
        ("theme = 3", "c.toml:1: theme must be a non-empty \"string\""),
        ("\ntheme = \"\"", "c.toml:2: theme must be a non-empty \"string\""),
        ("colour = \"red\"", "c.toml:1: colour is not a setting (known: version, theme, log, uploads, drop_zone, exports)"),
        ("[console]\ntheme = \"light\"", "c.toml:1: [console]: the settings file has no sections"),
        ("theme", "c.toml:1: expected `key = value`"),
    ])
    func mistakesNameTheFileAndLine(text: String, message: String) {
        #expect(throws: ConsoleConfigurationError.self) { try ConsoleConfiguration.parse(text, file: "c.toml") }
        do {
            _ = try ConsoleConfiguration.parse(text, file: "c.toml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func theFileIsFoundFromTheEnvironment() {
        #expect(
            ConsoleConfiguration.locate(environment: ["BAKERY_CONFIG": "/etc/bakery.toml", "HOME": "/home/op"])
                == .init(path: "/etc/bakery.toml", isExplicit: true))
        #expect(
            ConsoleConfiguration.locate(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/op"])
                == .init(path: "/cfg/bakery/console.toml", isExplicit: false))
        #expect(
            ConsoleConfiguration.locate(environment: ["HOME": "/home/op"])
                == .init(path: "/home/op/.config/bakery/console.toml", isExplicit: false))
        #expect(ConsoleConfiguration.locate(environment: [:]) == nil)
    }

    @Test func aMissingDefaultFileIsFineButAMissingNamedFileIsNot() throws {
        let missing = "/nonexistent/bakery/console.toml"
        #expect(try ConsoleConfiguration.load(from: .init(path: missing, isExplicit: false)) == ConsoleConfiguration())
        #expect(throws: ConsoleConfigurationError(file: missing, line: nil, message: "does not exist")) {
            try ConsoleConfiguration.load(from: .init(path: missing, isExplicit: true))
        }
    }

    @Test func aFileOnDiskSetsTheStartingTheme() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("console.toml")
        try "version = 1\ntheme = \"light\"\n".write(to: file, atomically: true, encoding: .utf8)
        let environment = ["BAKERY_CONFIG": file.path]
        let settings = try ConsoleConfiguration.load(from: ConsoleConfiguration.locate(environment: environment))
        #expect(settings.startingTheme(explicit: nil, environment: environment) == "light")
    }

    @Test(
        arguments: [
            (nil, [:], "light"),
            ("high-contrast", [:], "high-contrast"),
            (nil, ["BAKERY_THEME": "colorblind"], "colorblind"),
            (nil, ["NO_COLOR": "1"], "monochrome"),
            (nil, ["TERM": "dumb"], "monochrome"),
        ] as [(String?, [String: String], String)])
    func theFileThemeSitsBelowTheFlagAndTheEnvironment(
        explicit: String?, environment: [String: String], expected: String
    ) {
        let settings = ConsoleConfiguration(theme: "light")
        #expect(settings.startingTheme(explicit: explicit, environment: environment) == expected)
    }

    @Test func theLogGoesBesideTheDatabaseUnlessNamed() {
        #expect(
            ConsoleLog.path(database: "/data/bakery.sqlite", configured: nil, environment: [:])
                == "/data/bakery.console.log")
        #expect(ConsoleLog.path(database: "/data/shop", configured: nil, environment: [:]) == "/data/shop.console.log")
        #expect(
            ConsoleLog.path(database: "/data/bakery.sqlite", configured: "/logs/c.log", environment: [:])
                == "/logs/c.log")
        #expect(
            ConsoleLog.path(
                database: "/data/bakery.sqlite", configured: "/logs/c.log", environment: ["BAKERY_LOG": "/x.log"])
                == "/x.log")
    }

    @Test func theLogAppendsOneLinePerEntry() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-log-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let log = try #require(ConsoleLog(path: path, stamped: false))
            log.write("first")
            log.write("second\nline")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\nsecond line\n")
        #expect(ConsoleLog(path: "/nonexistent/folder/c.log") == nil)
    }

    /// Settings and theme files are read whole, so what is not a small text file is refused before it is read:
    /// a device that never ends, a runaway file, binary.
    @Test func aDeviceAHugeFileAndBinaryAreRefusedWithoutReadingThemWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let huge = folder.appendingPathComponent("huge.toml")
        try Data(repeating: UInt8(ascii: "#"), count: 2 << 20).write(to: huge)
        let binary = folder.appendingPathComponent("binary.toml")
        try Data([0x76, 0x65, 0xff, 0xfe, 0x00, 0x80]).write(to: binary)
        let cases = [
            ("/dev/zero", "is not a regular file"),
            (folder.path, "is not a regular file"),
            (huge.path, "is larger than 1024 KiB, more than any settings or theme file needs"),
            (binary.path, "is not UTF-8 text"),
        ]
        for (path, message) in cases {
            #expect(throws: ConsoleConfigurationError(file: path, line: nil, message: message)) {
                try ConsoleConfiguration.load(from: .init(path: path, isExplicit: true))
            }
            do {
                _ = try Theme.load(contentsOf: URL(fileURLWithPath: path))
                Issue.record("\(path) was read as a theme")
            } catch {
                #expect(error.message == message, "\(path)")
            }
        }
    }
}
