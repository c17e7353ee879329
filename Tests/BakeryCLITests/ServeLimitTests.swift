import Foundation
import Testing

/// `bakery serve` against hostile clients: request heads past the documented limits are refused with 400 before any
/// handler runs and the server keeps answering; connections that trickle a head byte by byte (slowloris) neither
/// starve other clients nor stay open past the idle timeout. Limits in docs/reliability.md, Limits.
@Suite("bakery serve at its limits", .serialized)
struct ServeLimitTests {
    /// The HTTP status of one request made with curl's extra arguments, 0 when nothing answered.
    static func status(_ server: ServeProcess, _ path: String, _ arguments: [String] = []) -> Int {
        let out = ServeProcess.curl(["-s", "-o", "/dev/null", "--max-time", "5", "-w", "%{http_code}"] + arguments + [server.url(path)])
        return Int(out) ?? 0
    }

    static let pixel = "/bakery/sync/dmpsyncendpoint?site=nu.nl&partner=r42-acme&read=false&cookieid=c-1"

    @Test func oversizedHeadsAreRefusedWith400AndTheServerGoesOnAnswering() async throws {
        let bakery = try ServeFaultTests.prepared()
        let server = try ServeProcess(bakery)
        try await server.waitUntilReady()
        let cookie = "Cookie: da=" + String(repeating: "a", count: 40_000)
        let field = "X-Long: " + String(repeating: "b", count: 17 * 1_024)
        let many = (0..<120).flatMap { ["-H", "X-Header-\($0): v"] }
        let url = "?site=" + String(repeating: "c", count: 30_000)
        #expect(Self.status(server, Self.pixel, ["-H", cookie]) == 400, "a 40 KB Cookie header")
        #expect(Self.status(server, Self.pixel, ["-H", field]) == 400, "one header field of 17 KiB")
        #expect(Self.status(server, Self.pixel, many) == 400, "120 header fields")
        #expect(Self.status(server, "/bakery/sync/dmpsyncendpoint" + url) == 400, "a 30 KB request target")
        // Inside the limits: a browser's full cookie jar for one domain and a few dozen headers are fine.
        let jar = "Cookie: da=" + String(repeating: "d", count: 8_000)
        let some = (0..<40).flatMap { ["-H", "X-Header-\($0): v"] }
        #expect(Self.status(server, "/healthz", ["-H", jar] + some) == 200)
        #expect(server.get("/healthz")?.status == 200, "the server still answers after every refusal")
        server.stop(SIGTERM)
    }

    /// A Python client holding `connections` sockets open, each sending a request head one header line at a time,
    /// `interval` seconds apart, never finishing it. Prints, when it ends, how many of its sockets the server closed.
    static func slowloris(_ server: ServeProcess, connections: Int, interval: Double, seconds: Double) throws -> Process {
        let script = """
            import socket, sys, time
            port, n, interval, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
            socks = []
            for i in range(n):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n")
                socks.append(s)
            print("open", len(socks), flush=True)
            closed, end, i = set(), time.monotonic() + seconds, 0
            while time.monotonic() < end:
                time.sleep(interval)
                i += 1
                for k, s in enumerate(socks):
                    if k in closed:
                        continue
                    try:
                        s.sendall(b"X-Trickle-%d: %d\\r\\n" % (i, i))
                        s.setblocking(False)
                        try:
                            if s.recv(1) == b"":
                                closed.add(k)
                        except BlockingIOError:
                            pass
                        s.setblocking(True)
                    except OSError:
                        closed.add(k)
            print("closed", len(closed), flush=True)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, "\(server.port)", "\(connections)", "\(interval)", "\(seconds)"]
        process.standardOutput = Pipe()
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func output(_ process: Process) -> String {
        process.waitUntilExit()
        let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func twoHundredTricklingConnectionsDoNotStarveOtherClients() async throws {
        let bakery = try ServeFaultTests.prepared()
        let server = try ServeProcess(bakery)
        try await server.waitUntilReady()
        let attack = try Self.slowloris(server, connections: 200, interval: 0.5, seconds: 4)
        try await Task.sleep(for: .seconds(1))
        for _ in 0..<5 {
            let started = ContinuousClock.now
            #expect(server.get("/healthz")?.status == 200)
            #expect(ContinuousClock.now - started < .seconds(1), "/healthz answered within a second under the attack")
            try await Task.sleep(for: .milliseconds(300))
        }
        let out = Self.output(attack)
        #expect(out.contains("open 200"), "the attack held its 200 connections: \(out)")
        server.stop(SIGTERM)
    }

    @Test func aConnectionThatNeverFinishesItsHeadIsClosedAtTheIdleTimeout() async throws {
        let bakery = try ServeFaultTests.prepared()
        let server = try ServeProcess(bakery, ["--idle-timeout", "2"])
        try await server.waitUntilReady()
        // Ten connections trickle a line every 0.5 s for 5 s: the server sees no whole head, so the idle timeout
        // (2 s) runs from the connection's start and closes every one of them.
        let attack = try Self.slowloris(server, connections: 10, interval: 0.5, seconds: 5)
        let out = Self.output(attack)
        #expect(out.contains("open 10"), "\(out)")
        #expect(out.contains("closed 10"), "the server closed every trickling connection: \(out)")
        #expect(server.get("/healthz")?.status == 200)
        server.stop(SIGTERM)
    }

    @Test func theIdleTimeoutIsValidated() throws {
        let bakery = try BakeryRunner()
        let result = try bakery.run(["serve", "--idle-timeout", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--idle-timeout must be between 1 and 3600 seconds, got 0"))
    }
}
