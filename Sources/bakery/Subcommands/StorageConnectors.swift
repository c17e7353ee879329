import BakeryCore
import BakeryStorage

/// The connector every command uses: local folders, S3 and SFTP.
enum StorageConnectors {
    static let standard: any StorageConnector = StandardStorageConnector()
}
