import BakeryCore
import BakeryStorage

/// The connector every command uses: local folders and S3.
enum StorageConnectors {
    static let standard: any StorageConnector = StandardStorageConnector()
}
