import Foundation

/// One `sftp -b` session: the command line, the environment, the private batch file, and the
/// translation of a failure into an ``SFTPError``.
struct Session {
    let configuration: SFTPConfiguration
    let operation: String

    /// The ssh options, fixed for every session. Nothing secret is ever on the command line.
    func arguments(batchFile: String) throws -> [String] {
        let c = configuration
        var arguments = ["-b", batchFile, "-F", "none", "-P", String(c.port)]
        func option(_ text: String) { arguments += ["-o", text] }
        option("BatchMode=yes")
        option("StrictHostKeyChecking=yes")
        option("UpdateHostKeys=no")
        option("CheckHostIP=no")
        if let knownHosts = c.knownHostsFile {
            // ssh splits these options' values on whitespace unless quoted, and expands %-tokens in them.
            option("UserKnownHostsFile=\"\(Self.escapingPercent(try absolute(knownHosts, "known-hosts file")))\"")
            option("GlobalKnownHostsFile=/dev/null")
        }
        if let key = c.privateKeyFile {
            // Not `-i`: ssh checks that path as written but loads it %-expanded; the option is only expanded.
            option("IdentityFile=\"\(Self.escapingPercent(try absolute(key, "private key file")))\"")
            option("IdentitiesOnly=yes")
        }
        option("IdentityAgent=none")
        option("PasswordAuthentication=no")
        option("KbdInteractiveAuthentication=no")
        option("ConnectTimeout=\(max(1, Int(c.connectTimeout.rounded(.up))))")
        option("ServerAliveInterval=15")
        option("ServerAliveCountMax=4")
        option("ControlMaster=no")
        option("ControlPath=none")
        option("LogLevel=ERROR")
        let host = c.host.contains(":") ? "[\(c.host)]" : c.host
        arguments.append("\(c.user)@\(host)")
        return arguments
    }

    /// The caller's environment without agent or askpass hooks, with times printed in UTC and names in UTF-8.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["SSH_AUTH_SOCK", "SSH_AGENT_PID", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "DISPLAY"] {
            environment[name] = nil
        }
        environment["TZ"] = "UTC"
        environment["LC_ALL"] = "C.UTF-8"
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    /// Runs `batch` in a private scratch folder (0700) that `prepare` may also use, and turns every
    /// failure into an ``SFTPError`` naming `path`. `stopWhen` ends the session early with `.tooLarge`.
    func run(
        _ batch: BatchScript, path: String?, in scratch: Scratch, timeout: TimeInterval? = nil,
        stopWhen: (@Sendable () -> Bool)? = nil
    ) async throws -> SessionOutput {
        try validate()
        let batchFile = scratch.url.appendingPathComponent("batch")
        try scratch.write(Data(batch.text.utf8), to: batchFile, operation: operation, endpoint: configuration.endpoint)
        let arguments = try arguments(batchFile: batchFile.path)
        let output: SessionOutput
        do {
            output = try await SessionRunner.run(
                executable: configuration.sftpPath, arguments: arguments,
                environment: Self.environment, timeout: timeout ?? configuration.timeout, stopWhen: stopWhen)
        } catch let error as SFTPError {
            throw error
        } catch {
            throw failure(.invalidConfiguration, path: path, "cannot run \(configuration.sftpPath): \(error)")
        }
        try Task.checkCancellation()
        if output.timedOut {
            let seconds = Int((timeout ?? configuration.timeout).rounded())
            throw failure(.timedOut, path: path, "no result within \(seconds) s\(Self.lastCommand(output))")
        }
        if output.stopped { throw failure(.tooLarge, path: path, "transfer stopped") }
        if output.status != 0 {
            var (kind, detail) = ErrorClassification.classify(stderr: output.stderr)
            if output.status == -1 && detail.isEmpty { detail = "sftp did not exit" }
            throw failure(kind, path: path, detail + Self.lastCommand(output))
        }
        return output
    }

    /// `; at: put …` — the command sftp echoed last, i.e. the one that stopped the batch.
    private static func lastCommand(_ output: SessionOutput) -> String {
        guard let line = output.stdout.split(whereSeparator: \.isNewline).last(where: { $0.hasPrefix("sftp> ") }) else {
            return ""
        }
        return "; at: " + line.dropFirst("sftp> ".count).prefix(300)
    }

    func failure(_ kind: SFTPError.Kind, path: String?, _ detail: String) -> SFTPError {
        SFTPError(kind, operation: operation, endpoint: configuration.endpoint, path: path, detail: detail)
    }

    /// Refuses a configuration that could not work or could be misread by sftp or ssh.
    func validate() throws {
        let c = configuration
        func refuse(_ reason: String) -> SFTPError { failure(.invalidConfiguration, path: nil, reason) }
        func plainWord(_ value: String, _ name: String, forbidden: String) throws {
            if value.isEmpty { throw refuse("\(name) is empty") }
            if value.hasPrefix("-") { throw refuse("\(name) starts with '-'") }
            if value.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
            })
                || value.contains(where: { forbidden.contains($0) })
            {
                throw refuse("\(name) contains whitespace, a control character or one of \(forbidden)")
            }
        }
        try plainWord(c.user, "user", forbidden: "@:/\"'\\")
        try plainWord(c.host, "host", forbidden: "@/[]\"'\\")
        if !(1...65_535).contains(c.port) { throw refuse("port \(c.port) is not in 1…65535") }
        if !(c.connectTimeout > 0 && c.connectTimeout.isFinite) { throw refuse("connect timeout must be positive") }
        if !(c.timeout > 0 && c.timeout.isFinite) { throw refuse("timeout must be positive") }
        if let problem = PathRules.problem(in: c.rootPath) { throw refuse("root path \(problem)") }
        if !FileManager.default.isExecutableFile(atPath: c.sftpPath) {
            throw refuse("no executable sftp at \(c.sftpPath) (install openssh-client)")
        }
        if let key = c.privateKeyFile {
            let path = try absolute(key, "private key file")
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) || isFolder.boolValue {
                throw failure(.keyFileUnusable, path: nil, "no private key file at \(path)")
            }
        }
        if let knownHosts = c.knownHostsFile {
            let path = try absolute(knownHosts, "known-hosts file")
            if !FileManager.default.fileExists(atPath: path) {
                throw failure(.hostKeyUnknown, path: nil, "the known-hosts file \(path) does not exist")
            }
        }
    }

    /// A local option path made absolute, refused when ssh could misread it.
    private func absolute(_ path: String, _ name: String) throws -> String {
        if let problem = PathRules.problem(in: path) {
            throw failure(.invalidConfiguration, path: nil, "\(name) path \(problem)")
        }
        if path.contains("\"") || path.contains("\\") || path.contains("${") {
            throw failure(.invalidConfiguration, path: nil, "\(name) path contains '\"', '\\' or '${'")
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// ssh expands `%`-tokens in key and known-hosts paths; `%%` is a literal `%`.
    private static func escapingPercent(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%%")
    }
}

/// A private local folder (0700) for one operation's batch file and temporary files, removed afterwards.
struct Scratch {
    let url: URL

    /// Creates the folder in `parent` (the system's temporary folder unless given).
    static func make(in parent: URL? = nil, operation: String, endpoint: String) throws -> Scratch {
        let base = parent ?? FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent(".bakery-sftp-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SFTPError(
                .localFileError, operation: operation, endpoint: endpoint,
                detail: "cannot create a private folder in \(base.path): \(error.localizedDescription)")
        }
        return Scratch(url: url)
    }

    func write(_ data: Data, to file: URL, operation: String, endpoint: String) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw SFTPError(
                .localFileError, operation: operation, endpoint: endpoint, detail: "cannot write \(file.path)")
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
