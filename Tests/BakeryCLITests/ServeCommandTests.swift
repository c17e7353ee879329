import Foundation
import Testing

@Suite("bakery serve")
struct ServeCommandTests {
    /// Runs curl and returns (status line, headers+body).
    func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-i", "--max-time", "5"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theExactSyncURLWorksAndSIGTERMCommitsBeforeExit() async throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "relay42", "--partner", "r42-acme"])
        let port = Int.random(in: 20_000...40_000)
        let server = Process()
        server.executableURL = try BakeryRunner.executable
        server.arguments = ["--db", bakery.database, "serve", "--port", "\(port)", "--no-scheduler"]
        server.standardError = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? curl(["http://127.0.0.1:\(port)/healthz"]))?.contains("\"status\":\"ok\"") ?? false
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(ready, "the server answered /healthz")
        let jar = bakery.folder.appendingPathComponent("cookies.txt").path
        let url = "http://127.0.0.1:\(port)/bakery/sync/dmpsyncendpoint?site=nu.nl&partner=r42-acme&cookieid=COOKIE1&read=false"
        let first = try curl(["-c", jar, url])
        #expect(first.hasPrefix("HTTP/1.1 200"))
        #expect(first.contains("Set-Cookie: da_id="))
        let second = try curl(["-b", jar, "-c", jar, url])
        #expect(second.hasPrefix("HTTP/1.1 200"))
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let pairs = try #require(try bakery.run(["sync", "lookup", "r42-acme", "COOKIE1", "--json"]).json() as? [[String: Any]])
        #expect(pairs.count == 1, "the cookie jar kept one DA id across both requests")
        #expect(pairs.first?["hits"] as? Int == 2 && pairs.first?["site"] as? String == "nu.nl")
    }

    @Test func aPortInUseIsExitOneWithTheAddress() async throws {
        let bakery = try BakeryRunner()
        try bakery.run(["client", "add", "acme", "--name", "Acme", "--country", "NL", "--dmp", "relay42"])
        let port = Int.random(in: 40_001...50_000)
        let first = Process()
        first.executableURL = try BakeryRunner.executable
        first.arguments = ["--db", bakery.database, "serve", "--port", "\(port)", "--no-scheduler"]
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { first.terminate() }
        for _ in 0..<100 {
            if (try? curl(["http://127.0.0.1:\(port)/healthz"]))?.contains("ok") == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let second = try bakery.run(["serve", "--port", "\(port)", "--no-scheduler"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("cannot serve on 127.0.0.1:\(port)"), "\(second.stderr)")
    }

    @Test(arguments: [
        (["--tcf-vendor-id", "0"], "--tcf-vendor-id must be between 1 and 65535, got 0"),
        (["--tcf-vendor-id", "65536"], "--tcf-vendor-id must be between 1 and 65535, got 65536"),
        (["--partner-vendor-id", "acme-dmp"], "--partner-vendor-id must be PARTNER=ID with an id between 1 and 65535, got 'acme-dmp'"),
        (["--partner-vendor-id", "acme-dmp=x"], "--partner-vendor-id must be PARTNER=ID with an id between 1 and 65535, got 'acme-dmp=x'"),
        (["--partner-vendor-id", "a b=5"], "--partner-vendor-id 'a b=5': partner key 'a b' is not valid"),
        (["--partner-vendor-id", "=5"], "--partner-vendor-id '=5': partner key '' is not valid"),
        (["--partner-vendor-id", "p=5", "--partner-vendor-id", "p=6"], "--partner-vendor-id gives partner 'p' twice"),
        (["--keep-sync-days", "0"], "--keep-sync-days must be between 1 and 3650 days, got 0"),
        (["--keep-audit-days", "3651"], "--keep-audit-days must be between 1 and 3650 days, got 3651"),
    ])
    func badOptionsAreRefusedBeforeServing(arguments: [String], message: String) throws {
        let bakery = try BakeryRunner()
        let result = try bakery.run(["serve", "--no-scheduler", "--no-storage"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("starting on"))
    }
}
