import Foundation

/// Performance figures the console appends to a file (`BAKERY_CONSOLE_TIMINGS=PATH`) for `scripts/bench-console`:
/// never on screen. One `name value` pair per line:
///
/// ```
/// first-frame-ms 41.7        process start → first frame drawn (may still say "loading…")
/// first-full-frame-ms 88.2   process start → first frame with the view's data
/// settled-ms 2410.5          process start → background figures filled in, nothing loading
/// redraw-ms 1.84             one key: received → handled, rendered and drawn
/// load-ms client 41.0        a view's load: pushed → its first data shown
/// view-settled-ms client 700 an opened view: pushed → drawn with every figure, live counts included
/// key-settled-ms sync PgDn 9 a key: received → drawn with the rows it asked for (`search`: a typed filter letter)
/// rss-kb 38120               resident memory at exit
/// peak-rss-kb 52304          the most it ever held
/// ```
@MainActor
public final class ConsoleTimings {
    private let file: ConsoleLog
    private let processStart: Double?
    private let fallbackStart = ContinuousClock.now
    private var reported: Set<String> = []

    public nonisolated init(file: ConsoleLog) {
        self.file = file
        processStart = ProcessClock.startSeconds()
    }

    /// Called after each frame is drawn; the first of each kind is recorded.
    func frameDrawn(full: Bool, settled: Bool) {
        once("first-frame-ms")
        if full { once("first-full-frame-ms") }
        if full, settled { once("settled-ms") }
    }

    /// Called after the frame that follows a key.
    func keyRedrawn(since start: ContinuousClock.Instant) {
        file.write("redraw-ms \(Self.format(milliseconds(start.duration(to: .now))))")
    }

    /// Called when a view's load ends: how long the operator saw "loading…" (`load-ms client 412.0`).
    func viewLoaded(_ kind: String, since start: ContinuousClock.Instant) {
        file.write("load-ms \(kind) \(Self.format(milliseconds(start.duration(to: .now))))")
    }

    /// Called when an opened view has every figure on screen, live counts included (`view-settled-ms client 700.1`).
    func viewSettled(_ kind: String, since start: ContinuousClock.Instant) {
        file.write("view-settled-ms \(kind) \(Self.format(milliseconds(start.duration(to: .now))))")
    }

    /// Called when the frame after a key shows the rows the key asked for (`key-settled-ms sync PgDn 9.1`).
    func keySettled(_ kind: String, _ key: String, since start: ContinuousClock.Instant) {
        file.write("key-settled-ms \(kind) \(key.replacingOccurrences(of: " ", with: "_")) \(Self.format(milliseconds(start.duration(to: .now))))")
    }

    /// Called when the console quits.
    func finish() {
        let status = ProcessClock.memoryStatus()
        if let rss = status["VmRSS"] { file.write("rss-kb \(rss)") }
        if let peak = status["VmHWM"] { file.write("peak-rss-kb \(peak)") }
    }

    private func once(_ name: String) {
        guard reported.insert(name).inserted else { return }
        let elapsed =
            processStart.flatMap { start in ProcessClock.nowSeconds().map { ($0 - start) * 1000 } }
            ?? milliseconds(fallbackStart.duration(to: .now))
        file.write("\(name) \(Self.format(elapsed))")
    }

    private func milliseconds(_ duration: Duration) -> Double { duration.seconds * 1000 }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

extension Duration {
    /// The duration in seconds, fractions included: for rates, ETAs and timings.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Process start and memory from `/proc`, so "time to first frame" includes loading the binary, not only
/// what happens after `main`.
enum ProcessClock {
    /// Seconds since boot when this process started (`/proc/self/stat` field 22, in clock ticks).
    static func startSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name start at field 3; starttime is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Seconds since boot now, on the clock `/proc` start times use.
    static func nowSeconds() -> Double? {
        var now = timespec()
        guard clock_gettime(CLOCK_BOOTTIME, &now) == 0 else { return nil }
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The `kB` figures of `/proc/self/status` (`VmRSS`, `VmHWM`, …).
    static func memoryStatus() -> [String: Int] {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
        var figures: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasSuffix(" kB") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let value = Int(parts[1].dropLast(3).trimmingCharacters(in: .whitespaces))
            else { continue }
            figures[String(parts[0])] = value
        }
        return figures
    }
}
