import CNcurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Puts the terminal back when the process ends any other way than a normal quit.
///
/// Ctrl-C arrives as a key in raw mode and quits normally; these handlers cover `kill`, a hang-up and crashes
/// (a Swift trap is SIGILL or SIGTRAP on Linux). `endwin` is not async-signal-safe, so this is best effort: the
/// alternative is certain garbage on the operator's terminal.
enum TerminalRestoration {
    private static let fatalSignals: [Int32] = [
        SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT,
    ]

    /// Installs the `atexit` hook and the signal handlers; harmless to call again.
    static func install() {
        atexit { restoreIfActive() }
        for signalNumber in fatalSignals {
            signal(signalNumber) { received in
                restoreIfActive()
                // Re-raise with the default action so the exit status still says what happened.
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Removes the signal handlers once the terminal is restored, so a later crash is reported plainly.
    static func uninstall() {
        for signalNumber in fatalSignals { signal(signalNumber, SIG_DFL) }
    }
}

/// A free function because a C signal handler cannot capture anything, not even a type.
private func restoreIfActive() {
    if bakery_stdscr() != nil, !isendwin() { endwin() }
}
