import Foundation

/// Reads what went wrong from the standard error of a failed `sftp -b` run (OpenSSH 8–9 wording).
///
/// Connection-level messages from ssh may stand anywhere in the output and win; then a path's
/// "Permission denied" anywhere; otherwise the last error line decides, since `sftp -b` stops at the
/// first command that fails (earlier lines are failures of `-`-prefixed commands, allowed to fail).
enum ErrorClassification {
    static func classify(stderr: String) -> (kind: SFTPError.Kind, detail: String) {
        let lines = meaningfulLines(stderr)
        let text = lines.joined(separator: "\n")
        func has(_ needle: String) -> Bool { text.range(of: needle, options: .caseInsensitive) != nil }

        if has("REMOTE HOST IDENTIFICATION HAS CHANGED") || has("has changed and you have requested strict checking")
            || has("POSSIBLE DNS SPOOFING") || has("Offending ")
        {
            return (.hostKeyChanged, pick(lines, containing: "has changed") ?? "host key changed")
        }
        if has("host key is known for") || has("Host key verification failed") {
            return (
                .hostKeyUnknown,
                pick(lines, containing: "host key is known for") ?? pick(lines, containing: "Host key")
                    ?? "host key verification failed"
            )
        }
        if has("UNPROTECTED PRIVATE KEY FILE") || has("bad permissions") || has("are too open") {
            return (.keyFileUnusable, pick(lines, containing: "are too open") ?? "private key file readable by others")
        }
        if let line = pick(lines, containing: "Identity file") ?? pick(lines, containing: "Load key") {
            return (.keyFileUnusable, line)
        }
        if has("Could not resolve hostname") || has("Name or service not known")
            || has("Temporary failure in name resolution") || has("nodename nor servname")
        {
            return (.hostNotResolved, pick(lines, containing: "resolve") ?? lines.first ?? "")
        }
        if has("Connection refused") {
            return (.connectionRefused, pick(lines, containing: "Connection refused") ?? "")
        }
        if has("Connection timed out") || has("Operation timed out") {
            return (.connectionTimedOut, pick(lines, containing: "timed out") ?? "")
        }
        if let line = lines.first(where: isAuthenticationFailure) {
            return (.authenticationFailed, line)
        }
        // Path-level failures. A refusal anywhere explains what follows (a `-mkdir` refused, then the
        // `cd` or `put` into that folder failing); otherwise the last line is the command that stopped the batch.
        guard let last = lines.last else { return (.failed, "sftp failed without a message") }
        if let line = lines.last(where: { $0.range(of: "Permission denied", options: .caseInsensitive) != nil }) {
            return (.permissionDenied, line)
        }
        if last.range(of: "No such file", options: .caseInsensitive) != nil || last.hasSuffix(" not found")
            || last.hasSuffix(" not found.") || last.hasSuffix("is not a directory")
        {
            return (.noSuchFile, last)
        }
        return (.failed, lines.suffix(3).joined(separator: " | "))
    }

    /// `root@host: Permission denied (publickey).` and its kin, as opposed to a path's permission error.
    private static func isAuthenticationFailure(_ line: String) -> Bool {
        line.contains("Permission denied (") || line.contains("Too many authentication failures")
            || line.contains("No more authentication methods") || line.contains("no mutual signature algorithm")
    }

    /// Lines with content, without the banner decoration and the "Connection closed" that follows every ssh failure.
    static func meaningfulLines(_ stderr: String) -> [String] {
        stderr.split(whereSeparator: \.isNewline)  // ssh ends its lines with "\r\n", one Character
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { line in
                !line.isEmpty && !line.allSatisfy({ $0 == "@" }) && line != "Connection closed"
                    && line != "Connection closed." && !line.hasPrefix("sftp> ")
            }
            .map { String($0.prefix(400)) }
    }

    private static func pick(_ lines: [String], containing needle: String) -> String? {
        lines.first { $0.range(of: needle, options: .caseInsensitive) != nil }
    }
}
