import BakerySFTP
import Foundation
import Testing

/// `list(under:maxDepth:)` against the loopback server, on a tree laid out locally (same machine).
@Suite("SFTP listing")
struct ListingTests {
    /// Lays out a tree with hidden names, spaces, glob characters, a single-subfolder chain (which
    /// sftp's `ls` expands in place) and a name holding a line break.
    private func layOut(_ folder: URL) throws -> [String: Int] {
        let files: [String: Int] = [
            "a.txt": 5,
            "é 2.csv": 12,
            "sub dir/b c.txt": 3,
            "sub dir/[x]*?.txt": 4,
            "sub dir/deep/er/z.csv": 7,
            "sub dir/deep/er/est/five.txt": 1,
            "only/one": 0,
            " leading space": 2,
        ]
        let hidden = [".hidden", ".hid/q.txt", "sub dir/.dot", "only/.secret/x"]
        for (path, size) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: 65, count: size).write(to: url)
        }
        for path in hidden + ["broken\nname.txt"] {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("h".utf8).write(to: url)
        }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("empty folder"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("link.txt").path, withDestinationPath: "a.txt")
        return files
    }

    @Test func listsEveryRegularFileRecursivelyWithSizesAndTimes() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let files = try layOut(sandbox.folder)
        let recent = Date().addingTimeInterval(-7_200 - 17)  // two hours ago, with seconds
        let old = Date(timeIntervalSince1970: 1_577_934_245)  // 2020-01-02T03:04:05Z
        try FileManager.default.setAttributes(
            [.modificationDate: recent], ofItemAtPath: sandbox.folder.appendingPathComponent("a.txt").path)
        try FileManager.default.setAttributes(
            [.modificationDate: old], ofItemAtPath: sandbox.folder.appendingPathComponent("sub dir/b c.txt").path)

        let listed = try await client.list()
        // sftp's glob follows symbolic links: a link to a file is listed as that file.
        let expected = files.merging(["link.txt": 5]) { old, _ in old }
        #expect(listed.map(\.path) == expected.keys.sorted())
        for file in listed {
            #expect(file.size == Int64(expected[file.path] ?? -1), "size of \(file.path)")
        }
        let a = try #require(listed.first { $0.path == "a.txt" })
        #expect(a.precision == .minute)
        let recentMinute = (recent.timeIntervalSince1970 / 60).rounded(.down) * 60
        #expect(a.modified.timeIntervalSince1970 == recentMinute)
        let bc = try #require(listed.first { $0.path == "sub dir/b c.txt" })
        #expect(bc.precision == .day)
        #expect(bc.modified == Date(timeIntervalSince1970: 1_577_923_200))  // 2020-01-02T00:00:00Z
    }

    @Test func limitsTheDepthAndListsBelowASubfolder() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        _ = try layOut(sandbox.folder)

        #expect(try await client.list(maxDepth: 1).map(\.path) == [" leading space", "a.txt", "link.txt", "é 2.csv"])
        #expect(
            try await client.list(under: "sub dir", maxDepth: 2).map(\.path)
                == ["sub dir/[x]*?.txt", "sub dir/b c.txt"])
        #expect(
            try await client.list(under: "sub dir/deep").map(\.path)
                == ["sub dir/deep/er/est/five.txt", "sub dir/deep/er/z.csv"])
        #expect(try await client.list(under: "empty folder").isEmpty)
    }

    @Test func aMissingFolderIsAnError() async throws {
        let server = try TestServer.load()
        let sandbox = try server.sandbox()
        let client = server.client(sandbox)
        let error = await sftpError { _ = try await client.list(under: "no such folder") }
        #expect(error?.kind == .noSuchFile, "\(String(describing: error))")
        #expect(error?.path == sandbox.folder.path + "/no such folder")
        try Data().write(to: sandbox.folder.appendingPathComponent("file"))
        #expect(await sftpError { _ = try await client.list(under: "file") }?.kind == .noSuchFile)
    }
}
