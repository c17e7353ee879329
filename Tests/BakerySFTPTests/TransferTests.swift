import BakerySFTP
import Foundation
import Testing

/// Uploads, downloads, reads, removes, renames and folders against the loopback OpenSSH server.
@Suite("SFTP transfers")
struct TransferTests {
    @Test func uploadAndDownloadAreByteIdentical() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }

        for (name, size) in [("empty.bin", 0), ("small.txt", 17), ("big.bin", 3 * 1024 * 1024 + 13)] {
            let source = local.appendingPathComponent("up-\(name)")
            try randomBytes(size).write(to: source)
            try await client.upload(source, to: "in/\(name)")
            let onServer = sandbox.folder.appendingPathComponent("in/\(name)")
            #expect(try sha256(onServer) == sha256(source), "\(name) on the server")

            let back = local.appendingPathComponent("down-\(name)")
            try await client.download("in/\(name)", to: back)
            #expect(try sha256(back) == sha256(source), "\(name) downloaded")
            #expect(try posixMode(back) == 0o600, "\(name) is private")
        }
        // No staging folder is left beside the downloads.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: local.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func downloadReplacesTheLocalFileAndKeepsTheRemoteTimeToTheSecond() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let remoteFile = sandbox.folder.appendingPathComponent("stamp.txt")
        try Data("new content".utf8).write(to: remoteFile)
        let stamp = Date(timeIntervalSince1970: 1_764_650_647)  // 2025-12-02T04:44:07Z
        try FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: remoteFile.path)
        let target = local.appendingPathComponent("stamp.txt")
        try Data("old".utf8).write(to: target)

        try await client.download("stamp.txt", to: target)
        #expect(try Data(contentsOf: target) == Data("new content".utf8))
        let modified = try FileManager.default.attributesOfItem(atPath: target.path)[.modificationDate] as? Date
        #expect(modified.map { Int($0.timeIntervalSince1970) } == 1_764_650_647)
    }

    @Test func uploadReplacesAtomicallyAndLeavesNoTemporaryFile() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let first = local.appendingPathComponent("first")
        let second = local.appendingPathComponent("second")
        try Data("first version".utf8).write(to: first)
        try Data("second, longer version".utf8).write(to: second)

        try await client.upload(first, to: "a/b c/report.csv")
        try await client.upload(second, to: "a/b c/report.csv")
        #expect(try await client.read("a/b c/report.csv") == Data("second, longer version".utf8))
        let names = try FileManager.default.contentsOfDirectory(
            atPath: sandbox.folder.appendingPathComponent("a/b c").path)
        #expect(names == ["report.csv"], "no hidden temporary file is left: \(names)")
        #expect(try await client.list().map(\.path) == ["a/b c/report.csv"])
    }

    @Test func uploadReplacesOnAServerWithoutPosixRename() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = SFTPClient(server.configuration(rootPath: sandbox.folder.path, port: server.legacyRenamePort))
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let source = local.appendingPathComponent("v")
        for version in ["one", "two"] {
            try Data(version.utf8).write(to: source)
            try await client.upload(source, to: "legacy/v.txt")
        }
        #expect(try Data(contentsOf: sandbox.folder.appendingPathComponent("legacy/v.txt")) == Data("two".utf8))
        let folder = sandbox.folder.appendingPathComponent("legacy")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["v.txt"])
        // rename(_:to:) replaces an existing target there too, leaving nothing aside.
        try Data("old w".utf8).write(to: folder.appendingPathComponent("w.txt"))
        try await client.rename("legacy/v.txt", to: "legacy/w.txt")
        #expect(try Data(contentsOf: folder.appendingPathComponent("w.txt")) == Data("two".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.txt"])
        // A failing rename leaves the target as it was.
        let error = await sftpError { try await client.rename("legacy/absent.txt", to: "legacy/w.txt") }
        #expect(error?.kind == .noSuchFile, "\(String(describing: error))")
        #expect(try Data(contentsOf: folder.appendingPathComponent("w.txt")) == Data("two".utf8))
    }

    @Test func namesWithQuotesBackslashesGlobsAndPercentSurviveTheBatchFile() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let local = try localScratch()
        defer { try? FileManager.default.removeItem(at: local) }
        let source = local.appendingPathComponent("with * star")
        try Data("odd".utf8).write(to: source)
        let decoy = local.appendingPathComponent("with X star")
        try Data("decoy".utf8).write(to: decoy)
        let name = #"q "x" \ *?[a] %s $HOME -r é.txt"#

        try await client.upload(source, to: "odd dir/\(name)")
        #expect(try Data(contentsOf: sandbox.folder.appendingPathComponent("odd dir/\(name)")) == Data("odd".utf8))
        #expect(try await client.list().map(\.path) == ["odd dir/\(name)"])
        #expect(try await client.read("odd dir/\(name)") == Data("odd".utf8))
        try await client.rename("odd dir/\(name)", to: "-lead")
        #expect(try await client.read("-lead") == Data("odd".utf8))
    }

    @Test func readGivesSmallFilesNilForMissingAndRefusesLargeOnes() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        try Data("hello\n".utf8).write(to: sandbox.folder.appendingPathComponent("hello.txt"))
        try randomBytes(200_000).write(to: sandbox.folder.appendingPathComponent("large.bin"))

        #expect(try await client.read("hello.txt") == Data("hello\n".utf8))
        #expect(try await client.read("missing.txt") == nil)
        #expect(try await client.read("no/such/folder/file") == nil)
        let error = await sftpError { _ = try await client.read("large.bin", limit: 1000) }
        #expect(error?.kind == .tooLarge, "\(String(describing: error))")
    }

    @Test func removeDeletesAndAMissingFileCountsAsRemoved() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let file = sandbox.folder.appendingPathComponent("doomed.txt")
        try Data("x".utf8).write(to: file)

        try await client.remove("doomed.txt")
        #expect(!FileManager.default.fileExists(atPath: file.path))
        try await client.remove("doomed.txt")
        try await client.remove("never/was/here.txt")
    }

    @Test func renameMovesIntoANewFolderAndReportsAMissingSource() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        try Data("payload".utf8).write(to: sandbox.folder.appendingPathComponent("incoming.csv"))
        try Data("old".utf8).write(to: sandbox.folder.appendingPathComponent("existing.csv"))

        try await client.rename("incoming.csv", to: "done/2026/12/incoming.csv")
        #expect(
            try Data(contentsOf: sandbox.folder.appendingPathComponent("done/2026/12/incoming.csv"))
                == Data("payload".utf8))
        #expect(!FileManager.default.fileExists(atPath: sandbox.folder.appendingPathComponent("incoming.csv").path))
        // An existing target is replaced.
        try await client.rename("done/2026/12/incoming.csv", to: "existing.csv")
        #expect(try Data(contentsOf: sandbox.folder.appendingPathComponent("existing.csv")) == Data("payload".utf8))

        let error = await sftpError { try await client.rename("not-there.csv", to: "elsewhere.csv") }
        #expect(error?.kind == .noSuchFile, "\(String(describing: error))")
    }

    @Test func makeDirectoriesCreatesEveryLevelAndAcceptsExistingOnes() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        try await client.makeDirectories("x/y z/w")
        try await client.makeDirectories("x/y z/w")
        var isFolder: ObjCBool = false
        #expect(
            FileManager.default.fileExists(
                atPath: sandbox.folder.appendingPathComponent("x/y z/w").path, isDirectory: &isFolder))
        #expect(isFolder.boolValue)
        // A file in the way is reported.
        try Data().write(to: sandbox.folder.appendingPathComponent("plain"))
        let error = await sftpError { try await client.makeDirectories("plain/sub") }
        #expect(error?.kind == .noSuchFile, "\(String(describing: error))")
    }

    @Test func checkPassesAndLeavesNothingBehind() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        try await server.client(sandbox).check()
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.folder.path).isEmpty)
    }

    @Test func keyAndKnownHostsPathsWithSpacesAndPercentWork() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let odd = try localScratch().appendingPathComponent("key dir %d %h")
        defer { try? FileManager.default.removeItem(at: odd.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        let key = odd.appendingPathComponent("id %r")
        let knownHosts = odd.appendingPathComponent("known hosts")
        try FileManager.default.copyItem(atPath: server.key, toPath: key.path)
        try FileManager.default.copyItem(atPath: server.knownHosts, toPath: knownHosts.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        let client = SFTPClient(
            server.configuration(rootPath: sandbox.folder.path, key: key.path, knownHosts: knownHosts.path))
        try await client.check()
    }
}
