import Foundation

/// Opens a configured location as a source or a destination. The core knows only this protocol; the S3 and SFTP
/// implementations live in their own modules, and the executable hands the core a connector that knows them all.
public protocol StorageConnector: Sendable {
    func source(for location: StorageLocation) throws -> any FileSource
    func destination(for location: StorageLocation) throws -> any FileDestination
    /// Checks that the location is reachable, readable and (for delivery) writable; each step says what it found.
    func test(_ location: StorageLocation) async -> [StorageCheck]
}

/// One step of a location test: what was checked, and what failed if it did.
public struct StorageCheck: Sendable, Hashable, Codable {
    public var step: String
    public var failure: StorageFailure.Kind?
    public var message: String

    public init(_ step: String, failure: StorageFailure.Kind? = nil, message: String) {
        self.step = step
        self.failure = failure
        self.message = message
    }

    public var passed: Bool { failure == nil }
}

/// The connector for local folders only (`file:///…`): what the core and its tests use without any network module.
public struct LocalStorageConnector: StorageConnector {
    public init() {}

    public func source(for location: StorageLocation) throws -> any FileSource {
        try folder(location)
    }

    public func destination(for location: StorageLocation) throws -> any FileDestination {
        try folder(location)
    }

    public func test(_ location: StorageLocation) async -> [StorageCheck] {
        do {
            return try await folder(location).check(writing: location.role == .delivery || location.role == .intake)
        } catch {
            return [StorageCheck("location", failure: .configuration, message: "\(error.localizedDescription)")]
        }
    }

    func folder(_ location: StorageLocation) throws -> LocalFolder {
        guard location.address.kind == .file else {
            throw StorageFailure(
                .configuration,
                "\(location.address): this connector opens local folders (file://) only")
        }
        return LocalFolder(root: URL(fileURLWithPath: location.address.path, isDirectory: true))
    }
}
