import BakeryCore

/// The connector every command uses: local folders, S3 and SFTP.
enum StorageConnectors {
    static let standard: any StorageConnector = LocalStorageConnector()
}
