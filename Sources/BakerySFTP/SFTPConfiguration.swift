import Foundation

/// Where an SFTP folder is and how to reach it with the OpenSSH client.
///
/// Every session runs `sftp -b` with host keys checked strictly: a host whose key is not in the
/// known-hosts file, or whose key differs from it, is refused, never accepted. Authentication is by
/// key only (no agent, no password or keyboard prompts), so no secret ever appears on a command line.
public struct SFTPConfiguration: Sendable, Hashable {
    /// The remote account.
    public var user: String
    /// Host name or IP address (an IPv6 address without brackets).
    public var host: String
    /// TCP port, 22 unless the server says otherwise.
    public var port: Int
    /// The remote folder every path given to ``SFTPClient`` is relative to: absolute (`/srv/drop`) or
    /// relative to the account's login folder; empty means the login folder itself.
    public var rootPath: String
    /// The private key file (`-i`, with `IdentitiesOnly=yes`); nil uses OpenSSH's default identities
    /// (`~/.ssh/id_*`). The file must be readable by its owner only, or ssh ignores it.
    public var privateKeyFile: String?
    /// The known-hosts file that must hold the server's key; nil uses the user's (`~/.ssh/known_hosts`)
    /// and the system's. When given, only this file is consulted (`GlobalKnownHostsFile=/dev/null`).
    public var knownHostsFile: String?
    /// Seconds to wait for the TCP connection and the server's SSH banner (`ConnectTimeout`).
    public var connectTimeout: TimeInterval
    /// Seconds one whole session (one `sftp -b` run: connect, authenticate, every command) may take
    /// before the process is killed and ``SFTPError/Kind/timedOut`` is thrown.
    public var timeout: TimeInterval
    /// The OpenSSH `sftp` binary.
    public var sftpPath: String

    public init(
        user: String, host: String, port: Int = 22, rootPath: String = "", privateKeyFile: String? = nil,
        knownHostsFile: String? = nil, connectTimeout: TimeInterval = 15, timeout: TimeInterval = 600,
        sftpPath: String = "/usr/bin/sftp"
    ) {
        self.user = user
        self.host = host
        self.port = port
        self.rootPath = rootPath
        self.privateKeyFile = privateKeyFile
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.sftpPath = sftpPath
    }

    /// `user@host:port`, for messages (never holds a secret).
    public var endpoint: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(user)@\(shownHost):\(port)"
    }
}
