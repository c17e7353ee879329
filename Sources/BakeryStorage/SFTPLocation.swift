import BakeryCore
import BakerySFTP
import Foundation

/// An SFTP folder as a file source and destination, through OpenSSH's `sftp -b` with the server's host key checked.
/// A file being uploaded grows, so the drop zone waits until its size and time stop changing; a put is written under
/// a hidden name and renamed into place.
struct SFTPLocation: FileSource, FileDestination {
    let client: SFTPClient
    let address: StorageAddress

    init(_ location: StorageLocation) {
        address = location.address
        client = SFTPClient(
            SFTPConfiguration(
                user: location.address.user ?? "", host: location.address.host, port: location.address.port ?? 22,
                rootPath: location.address.path, privateKeyFile: location.keyFile, knownHostsFile: location.knownHosts))
    }

    var uri: String { address.description }
    var appearsWhole: Bool { false }

    func list(under folder: String) async throws -> [StoredFile] {
        let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        do {
            return try await client.list(under: trimmed).filter {
                !$0.path.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            }.map { StoredFile(key: $0.path, size: Int($0.size), modified: $0.modified) }.sorted { $0.key < $1.key }
        } catch let error as SFTPError where error.kind == .noSuchFile && !trimmed.isEmpty {
            return []  // a folder nobody has written into yet holds nothing
        } catch let error as SFTPError {
            throw Self.failure(error, uri)
        }
    }

    func fetch(_ key: String, into folder: URL) async throws -> FetchedFile {
        let copy = folder.appendingPathComponent(URL(fileURLWithPath: key).lastPathComponent)
        try await mapped { try await client.download(key, to: copy) }
        return FetchedFile(url: copy, isCopy: true)
    }

    func put(_ local: URL, as key: String) async throws { try await mapped { try await client.upload(local, to: key) } }
    func move(_ key: String, to newKey: String) async throws { try await mapped { try await client.rename(key, to: newKey) } }
    func read(_ key: String, limit: Int) async throws -> Data? { try await mapped { try await client.read(key, limit: limit) } }

    func remove(_ key: String) async throws { try await mapped { try await client.remove(key) } }
    func restrict(_ key: String) async throws { try await mapped { try await client.restrict(key) } }

    /// Connect, list the root, put and remove a probe: the first step that fails says why.
    func check() async -> [StorageCheck] {
        do {
            try await client.check()
            return [StorageCheck("connect, list, write", message: "\(uri): reached, listed, a probe put and removed")]
        } catch let error as SFTPError {
            let failure = Self.failure(error, uri)
            return [StorageCheck(error.operation, failure: failure.kind, message: failure.message)]
        } catch {
            return [StorageCheck("connect", failure: .server, message: "\(uri): \(error)")]
        }
    }

    private func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SFTPError {
            throw Self.failure(error, uri)
        }
    }

    static func failure(_ error: SFTPError, _ uri: String) -> StorageFailure {
        let kind: StorageFailure.Kind =
            switch error.kind {
            case .hostNotResolved: .dns
            case .connectionRefused, .connectionTimedOut, .timedOut: .connection
            case .hostKeyUnknown, .hostKeyChanged: .hostKey
            case .authenticationFailed: .credentials
            case .keyFileUnusable, .invalidPath, .invalidConfiguration, .localFileError: .configuration
            case .permissionDenied: .permission
            case .noSuchFile: .missingFile
            case .tooLarge, .failed: .server
            }
        return StorageFailure(kind, "\(uri): \(error)")
    }
}
