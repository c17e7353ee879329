import BakeryCore
import Foundation

/// `storage … --json`: a location as stored (paths of key files only, never a secret).
struct StorageJSON: Encodable {
    var id: Int64?
    var client: String
    var role: String
    var url: String
    var endpoint: String?
    var region: String?
    var pathStyle: Bool
    var keyFile: String?
    var knownHosts: String?
    var accessKeyVariable: String?
    var secretKeyVariable: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, client, role, url, endpoint, region
        case pathStyle = "path_style"
        case keyFile = "key_file"
        case knownHosts = "known_hosts"
        case accessKeyVariable = "access_key_variable"
        case secretKeyVariable = "secret_key_variable"
        case createdAt = "created_at"
    }

    init(_ location: StorageLocation) {
        id = location.id
        client = location.clientID
        role = location.role.rawValue
        url = location.address.description
        endpoint = location.endpoint
        region = location.region
        pathStyle = location.pathStyle
        keyFile = location.keyFile
        knownHosts = location.knownHosts
        accessKeyVariable = location.accessKeyVariable
        secretKeyVariable = location.secretKeyVariable
        createdAt = location.createdAt
    }
}

/// `storage test --json`: each location's checks.
struct StorageTestJSON: Encodable {
    var location: StorageJSON
    var passed: Bool
    var checks: [StorageCheck]
}
