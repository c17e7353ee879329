import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one run of a child process left behind.
struct SessionOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Killed because the deadline passed.
    var timedOut: Bool
    /// Killed because `stopWhen` said so, or the task was cancelled.
    var stopped: Bool
}

/// Runs a child process (here: `sftp -b`) with a deadline, never hanging.
///
/// One dedicated thread polls the output pipes (so a chatty child never blocks on a full pipe) and
/// the clock. Past the deadline, on `stopWhen` or on task cancellation the child gets SIGTERM (on
/// which sftp also kills its ssh), then SIGKILL (for its process group) two seconds later. After
/// the child has exited, output is read until end of file, but for two seconds at most, in case a
/// grandchild still holds the pipes.
enum SessionRunner {
    static func run(
        executable: String, arguments: [String], environment: [String: String], timeout: TimeInterval,
        stopWhen: (@Sendable () -> Bool)? = nil
    ) async throws -> SessionOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let state = RunState()
        process.terminationHandler = { _ in state.markExited() }
        let box = ProcessBox(process: process, stdout: stdout, stderr: stderr)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<SessionOutput, Error>, Never>) in
                let thread = Thread {
                    do {
                        try launch(box.process)
                    } catch {
                        continuation.resume(returning: .failure(error))
                        return
                    }
                    continuation.resume(
                        returning: .success(pump(box, state: state, timeout: timeout, stopWhen: stopWhen)))
                }
                thread.name = "BakerySFTP session"
                thread.start()
            }
        } onCancel: {
            state.cancel()
        }
        return try result.get()
    }

    /// Starts the child with no signal blocked. A child inherits the signal mask of the thread that
    /// spawns it, and Swift's concurrency threads block nearly every signal: an sftp started from one
    /// would ignore SIGTERM (and so never pass it on to its ssh). The mask is cleared on this thread
    /// only for the moment of the spawn.
    private static func launch(_ process: Process) throws {
        var nothing = sigset_t()
        var saved = sigset_t()
        sigemptyset(&nothing)
        pthread_sigmask(SIG_SETMASK, &nothing, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
    }

    /// SIGKILL for the child and, when Foundation gave it a process group of its own (it does on
    /// Linux), for that whole group: sftp's ssh too.
    private static func killAll(_ pid: pid_t, group: pid_t) {
        if group == pid && group != getpgrp() { kill(-group, SIGKILL) }
        kill(pid, SIGKILL)
    }

    private static func pump(
        _ box: ProcessBox, state: RunState, timeout: TimeInterval, stopWhen: (@Sendable () -> Bool)?
    ) -> SessionOutput {
        let pid = box.process.processIdentifier
        let group = getpgid(pid)
        var streams = [
            Stream(fd: box.stdout.fileHandleForReading.fileDescriptor),
            Stream(fd: box.stderr.fileHandleForReading.fileDescriptor),
        ]
        let start = Date()
        var terminatedAt: Date?
        var killed = false
        var exitedAt: Date?
        var timedOut = false
        var stopped = false
        var buffer = [UInt8](repeating: 0, count: 65_536)

        while true {
            let open = streams.indices.filter { streams[$0].open }
            if open.isEmpty {
                usleep(20_000)
            } else {
                var fds = open.map { pollfd(fd: streams[$0].fd, events: Int16(POLLIN), revents: 0) }
                let ready = poll(&fds, nfds_t(fds.count), 100)
                if ready > 0 {
                    for (slot, index) in open.enumerated() where fds[slot].revents != 0 {
                        let count = read(streams[index].fd, &buffer, buffer.count)
                        if count > 0 {
                            streams[index].data.append(contentsOf: buffer[0..<count])
                        } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                            streams[index].open = false
                        }
                    }
                }
            }
            let now = Date()
            if state.exited {
                if exitedAt == nil { exitedAt = now }
                if streams.allSatisfy({ !$0.open }) || now.timeIntervalSince(exitedAt!) > 2 { break }
                continue
            }
            if let sent = terminatedAt {
                if !killed && now.timeIntervalSince(sent) > 2 {
                    killAll(pid, group: group)
                    killed = true
                }
                // A child that survives SIGKILL for ten seconds is beyond help: give up on it, never hang.
                if now.timeIntervalSince(sent) > 12 { break }
                continue
            }
            if now.timeIntervalSince(start) > timeout {
                timedOut = true
            } else if state.cancelled || (stopWhen?() ?? false) {
                stopped = true
            }
            if timedOut || stopped {
                kill(pid, SIGTERM)
                terminatedAt = now
            }
        }
        // After a kill, nothing of the session may outlive it (sftp's SIGTERM handler normally ends ssh).
        if terminatedAt != nil && !killed && group == pid && group != getpgrp() { kill(-group, SIGKILL) }
        let status: Int32 = state.exited ? box.process.terminationStatus : -1
        return SessionOutput(
            status: status, stdout: String(decoding: streams[0].data, as: UTF8.self),
            stderr: String(decoding: streams[1].data, as: UTF8.self), timedOut: timedOut, stopped: stopped)
    }

    private struct Stream {
        var fd: Int32
        var open = true
        var data = Data()
    }
}

/// The process and its pipes, handed to the pump thread (Foundation does not mark them Sendable
/// everywhere; only that thread touches them after launch).
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    let stdout: Pipe
    let stderr: Pipe

    init(process: Process, stdout: Pipe, stderr: Pipe) {
        self.process = process
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Flags set from Foundation's termination handler and from task cancellation.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var hasExited = false
    private var isCancelled = false

    var exited: Bool { lock.withLock { hasExited } }
    var cancelled: Bool { lock.withLock { isCancelled } }
    func markExited() { lock.withLock { hasExited = true } }
    func cancel() { lock.withLock { isCancelled = true } }
}
