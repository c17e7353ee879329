import BakerySFTP
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The loopback OpenSSH server that `scripts/lib/sftp-server start DIR` runs, as described by the
/// `BAKERY_TEST_SFTP_*` variables of DIR/env. Without them the tests fail, never skip.
struct TestServer {
    let host: String
    let port: Int
    let readOnlyPort: Int
    let legacyRenamePort: Int
    let user: String
    let key: String
    let otherKey: String
    let knownHosts: String
    let otherKnownHosts: String
    /// The server's data folder; the server runs on this machine, so it is a local path too.
    let root: URL

    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "\(name) is not set: run the tests through scripts/test, or start the server yourself with "
                + "`scripts/lib/sftp-server start DIR` and `set -a; . DIR/env; set +a`"
        }
    }

    static func load() throws -> TestServer {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) throws -> String {
            guard let value = environment["BAKERY_TEST_SFTP_\(name)"], !value.isEmpty else {
                throw Missing(name: "BAKERY_TEST_SFTP_\(name)")
            }
            return value
        }
        func number(_ name: String) throws -> Int {
            guard let number = Int(try value(name)) else { throw Missing(name: "BAKERY_TEST_SFTP_\(name) (a number)") }
            return number
        }
        return TestServer(
            host: try value("HOST"), port: try number("PORT"), readOnlyPort: try number("READONLY_PORT"),
            legacyRenamePort: try number("LEGACY_RENAME_PORT"), user: try value("USER"), key: try value("KEY"),
            otherKey: try value("OTHER_KEY"), knownHosts: try value("KNOWN_HOSTS"),
            otherKnownHosts: try value("OTHER_KNOWN_HOSTS"), root: URL(fileURLWithPath: try value("ROOT")))
    }

    /// A fresh folder under the server's root for one test, and a configuration rooted there.
    func sandbox() throws -> (folder: URL, configuration: SFTPConfiguration) {
        let folder = root.appendingPathComponent("test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, configuration(rootPath: folder.path))
    }

    func configuration(
        rootPath: String, port: Int? = nil, key: String? = nil, knownHosts: String? = nil, timeout: TimeInterval = 30
    ) -> SFTPConfiguration {
        SFTPConfiguration(
            user: user, host: host, port: port ?? self.port, rootPath: rootPath, privateKeyFile: key ?? self.key,
            knownHostsFile: knownHosts ?? self.knownHosts, connectTimeout: 10, timeout: timeout)
    }

    func client(_ sandbox: (folder: URL, configuration: SFTPConfiguration)) -> SFTPClient {
        SFTPClient(sandbox.configuration)
    }
}

/// A private local scratch folder.
func localScratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-sftp-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// `count` pseudo-random bytes (not cryptographic; enough to catch any corruption).
func randomBytes(_ count: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    var data = Data(count: count)
    data.withUnsafeMutableBytes { buffer in
        let words = buffer.bindMemory(to: UInt64.self)
        for index in words.indices { words[index] = generator.next() }
        for index in (words.count * 8)..<count { buffer[index] = UInt8.random(in: 0...255) }
    }
    return data
}

/// SHA-256 of a file, by coreutils' sha256sum.
func sha256(_ url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}

func posixMode(_ url: URL) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A TCP listener on 127.0.0.1 that accepts one connection and never says a word: an SSH client
/// waits for a banner forever. Records when the client closes its end.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private let listenFD: Int32
    private let lock = NSLock()
    private var accepted = false
    private var peerClosed = false

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts accepting, on a thread of its own.
    func start() -> SilentListener {
        let fd = listenFD
        Thread { [self] in
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            lock.withLock { accepted = true }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(connection, &buffer, buffer.count) > 0 {}
            lock.withLock { peerClosed = true }
            close(connection)
        }.start()
        return self
    }

    var sawConnection: Bool { lock.withLock { accepted } }

    /// Whether the client closed the connection within `seconds`.
    func waitForPeerClose(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lock.withLock({ peerClosed }) { return true }
            usleep(20_000)
        }
        return lock.withLock { peerClosed }
    }

    deinit { close(listenFD) }
}

/// A loopback port nothing listens on (bound once by us, then released).
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs `body` and returns the SFTPError it throws (nil if it succeeds or throws something else).
func sftpError(_ body: () async throws -> Void) async -> SFTPError? {
    do {
        try await body()
        return nil
    } catch let error as SFTPError {
        return error
    } catch {
        return nil
    }
}
