import Foundation
import NIOHTTP1

/// The scheme, host, port and path prefix requests go to.
struct Endpoint: Sendable {
    var scheme: String
    var host: String
    var port: Int?
    var basePath: String

    init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { return nil }
        self.scheme = scheme
        self.host = host.hasPrefix("[") || !host.contains(":") ? host : "[\(host)]"
        self.port = url.port
        var path = url.path(percentEncoded: true)
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
    }

    /// `https://host:port`, for messages.
    var description: String { "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") }

    /// The `Host` header for `host`: the port only when it is not the scheme's default.
    func hostHeader(_ host: String) -> String {
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return host }
        return "\(host):\(port)"
    }
}

/// One S3 API call before signing.
struct S3Request: Sendable {
    enum Body: Sendable {
        case none
        case data(Data)
        /// Bytes `offset ..< offset + length` of a file, sent as `UNSIGNED-PAYLOAD`.
        case file(URL, offset: Int64, length: Int64)
    }

    var operation: String
    var method: HTTPMethod
    var bucket: String?
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body: Body = .none
    /// Streams a file either way, so ``S3Client/Configuration/transferTimeout`` applies rather than the request one.
    var isTransfer = false
}
