import BakerySFTP
import Foundation
import Testing

/// Every way a session can fail, each classified as what it is, against the real server.
@Suite("SFTP failures")
struct FailureTests {
    @Test func anUnknownHostKeyIsRefused() async throws {
        let server = try TestServer.load()
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let empty = local.appendingPathComponent("known_hosts")
        try Data().write(to: empty)
        let client = SFTPClient(server.configuration(rootPath: server.root.path, knownHosts: empty.path))
        let error = await sftpError { _ = try await client.list() }
        #expect(error?.kind == .hostKeyUnknown, "\(String(describing: error))")
        #expect(error?.description.contains("\(server.user)@\(server.host):\(server.port)") == true)
        // Strict checking never adds the key.
        #expect(try Data(contentsOf: empty).isEmpty)

        let missing = SFTPClient(
            server.configuration(rootPath: server.root.path, knownHosts: local.appendingPathComponent("nope").path))
        #expect(await sftpError { try await missing.check() }?.kind == .hostKeyUnknown)
    }

    @Test func aChangedHostKeyIsRefused() async throws {
        let server = try TestServer.load()
        let client = SFTPClient(server.configuration(rootPath: server.root.path, knownHosts: server.otherKnownHosts))
        let error = await sftpError { _ = try await client.list() }
        #expect(error?.kind == .hostKeyChanged, "\(String(describing: error))")
        #expect(error?.description.contains("CHANGED") == true)
    }

    @Test func aKeyTheServerDoesNotKnowFailsAuthentication() async throws {
        let server = try TestServer.load()
        let client = SFTPClient(server.configuration(rootPath: server.root.path, key: server.otherKey))
        let error = await sftpError { _ = try await client.read("x") }
        #expect(error?.kind == .authenticationFailed, "\(String(describing: error))")
    }

    @Test func aKeyFileReadableByOthersOrMissingIsReportedAsSuch() async throws {
        let server = try TestServer.load()
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let key = local.appendingPathComponent("key")
        try FileManager.default.copyItem(atPath: server.key, toPath: key.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key.path)
        let open = SFTPClient(server.configuration(rootPath: server.root.path, key: key.path))
        let error = await sftpError { try await open.check() }
        #expect(error?.kind == .keyFileUnusable, "\(String(describing: error))")
        #expect(error?.detail.contains("0644") == true)
        // The key's content is never part of a message.
        let lines = try String(contentsOf: key, encoding: .utf8).split(separator: "\n")
        let body = try #require(lines.dropFirst().first.map(String.init))
        #expect(error?.description.contains(body) == false)

        let missing = SFTPClient(
            server.configuration(rootPath: server.root.path, key: local.appendingPathComponent("absent").path))
        #expect(await sftpError { try await missing.check() }?.kind == .keyFileUnusable)

        let garbage = local.appendingPathComponent("garbage")
        try Data("not a key\n".utf8).write(to: garbage)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: garbage.path)
        let invalid = SFTPClient(server.configuration(rootPath: server.root.path, key: garbage.path))
        #expect(await sftpError { try await invalid.check() }?.kind == .keyFileUnusable)
    }

    @Test func aClosedPortIsConnectionRefused() async throws {
        let server = try TestServer.load()
        let client = SFTPClient(server.configuration(rootPath: server.root.path, port: try closedPort()))
        #expect(await sftpError { try await client.check() }?.kind == .connectionRefused)
    }

    @Test func anUnresolvableHostIsADNSError() async throws {
        let server = try TestServer.load()
        var configuration = server.configuration(rootPath: "")
        configuration.host = "nonexistent.invalid"
        let error = await sftpError { try await SFTPClient(configuration).check() }
        #expect(error?.kind == .hostNotResolved, "\(String(describing: error))")
        #expect(error?.description.contains("nonexistent.invalid") == true)
    }

    @Test func aServerThatNeverSpeaksTimesOutAndTheProcessIsKilled() async throws {
        let server = try TestServer.load()
        let listener = try SilentListener().start()
        // The connect timeout is longer than the session's, so only our own deadline can end it.
        // Bounds far apart, because a loaded test machine resumes the awaiting task late (seen: 24 s in the full
        // suite on two cores): the session's 1.5 s deadline must end it long before ssh's 300 s connect timeout.
        var configuration = server.configuration(rootPath: "", port: listener.port, timeout: 1.5)
        configuration.connectTimeout = 300
        let started = Date()
        let error = await sftpError { _ = try await SFTPClient(configuration).list() }
        let elapsed = Date().timeIntervalSince(started)
        #expect(error?.kind == .timedOut, "\(String(describing: error))")
        #expect(elapsed >= 1.4 && elapsed < 120, "took \(elapsed) s")
        #expect(listener.sawConnection)
        // ssh is gone: its end of the connection is closed.
        #expect(listener.waitForPeerClose(within: 3))
    }

    @Test func cancellingTheTaskKillsTheSession() async throws {
        let server = try TestServer.load()
        let listener = try SilentListener().start()
        // Neither deadline can end it within the bound below: only the cancellation can.
        var configuration = server.configuration(rootPath: "", port: listener.port, timeout: 300)
        configuration.connectTimeout = 300
        let client = SFTPClient(configuration)
        let task = Task { try await client.list() }
        let started = Date()
        while !listener.sawConnection && Date().timeIntervalSince(started) < 5 {
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(listener.waitForPeerClose(within: 3))
    }

    @Test func writesOnAReadOnlyServerArePermissionDenied() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        try Data("keep".utf8).write(to: sandbox.folder.appendingPathComponent("keep.txt"))
        let client = SFTPClient(server.configuration(rootPath: sandbox.folder.path, port: server.readOnlyPort))
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let source = local.appendingPathComponent("f")
        try Data("f".utf8).write(to: source)

        let upload = await sftpError { try await client.upload(source, to: "new/f.txt") }
        #expect(upload?.kind == .permissionDenied, "\(String(describing: upload))")
        #expect(await sftpError { try await client.remove("keep.txt") }?.kind == .permissionDenied)
        #expect(await sftpError { try await client.makeDirectories("a/b") }?.kind == .permissionDenied)
        #expect(try await client.read("keep.txt") == Data("keep".utf8))
        let check = await sftpError { try await client.check() }
        #expect(check?.kind == .permissionDenied, "\(String(describing: check))")
        #expect(check?.operation == "check: write a probe file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.folder.path) == ["keep.txt"])
    }

    @Test func missingRemoteFilesAndFolders() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let download = await sftpError { try await client.download("gone.csv", to: local.appendingPathComponent("x")) }
        #expect(download?.kind == .noSuchFile, "\(String(describing: download))")
        #expect(download?.path == sandbox.folder.path + "/gone.csv")
        #expect(!FileManager.default.fileExists(atPath: local.appendingPathComponent("x").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: local.path).isEmpty)

        let badRoot = SFTPClient(server.configuration(rootPath: sandbox.folder.path + "/missing root"))
        let check = await sftpError { try await badRoot.check() }
        #expect(check?.kind == .noSuchFile, "\(String(describing: check))")
        #expect(check?.operation == "check: enter the root folder")
    }

    @Test func badInputIsRefusedBeforeAnyConnection() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let source = local.appendingPathComponent("f")
        try Data("f".utf8).write(to: source)

        for path in ["../escape.txt", "/etc/passwd", "a/../../b", "line\nbreak", "nul\u{0}", "", "."] {
            #expect(await sftpError { try await client.upload(source, to: path) }?.kind == .invalidPath, "\(path)")
        }
        #expect(await sftpError { _ = try await client.list(under: "a/../..") }?.kind == .invalidPath)
        #expect(
            await sftpError { try await client.upload(local.appendingPathComponent("absent"), to: "x") }?.kind
                == .localFileError)

        var configuration = sandbox.configuration
        configuration.host = "-oProxyCommand=touch /tmp/pwned"
        #expect(await sftpError { try await SFTPClient(configuration).check() }?.kind == .invalidConfiguration)
        configuration = sandbox.configuration
        configuration.port = 0
        #expect(await sftpError { try await SFTPClient(configuration).check() }?.kind == .invalidConfiguration)
        configuration = sandbox.configuration
        configuration.sftpPath = "/nonexistent/sftp"
        #expect(await sftpError { try await SFTPClient(configuration).check() }?.kind == .invalidConfiguration)
    }
}
