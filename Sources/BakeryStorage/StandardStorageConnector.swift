import BakeryCore
import Foundation

/// Opens every kind of location: local folders, S3 prefixes and SFTP folders.
public struct StandardStorageConnector: StorageConnector {
    let environment: [String: String]

    /// - Parameter environment: where S3 keys are read from (the process's own by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func source(for location: StorageLocation) throws -> any FileSource { try open(location) }
    public func destination(for location: StorageLocation) throws -> any FileDestination { try open(location) }

    public func test(_ location: StorageLocation) async -> [StorageCheck] {
        switch location.address.kind {
        case .file: return await LocalStorageConnector().test(location)
        case .s3:
            do {
                return await try S3Location(location, environment: environment).check()
            } catch {
                let failure = (error as? StorageFailure) ?? StorageFailure(.configuration, "\(error)")
                return [StorageCheck("credentials", failure: failure.kind, message: failure.message)]
            }
        case .sftp:
            return await SFTPLocation(location).check()
        }
    }

    private func open(_ location: StorageLocation) throws -> any FileSource & FileDestination {
        switch location.address.kind {
        case .file: return LocalFolder(root: URL(fileURLWithPath: location.address.path, isDirectory: true))
        case .s3: return try S3Location(location, environment: environment)
        case .sftp: return SFTPLocation(location)
        }
    }
}
