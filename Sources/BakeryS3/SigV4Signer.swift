import Crypto
import Foundation

/// AWS Signature Version 4 for requests signed in the `Authorization` header.
///
/// It builds the canonical request, the string to sign, the derived signing key and the `Authorization` value,
/// and says which headers (`x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token`, `authorization`) the
/// caller must add to the request it sends. Every header handed to ``sign(method:path:query:headers:payload:date:)``
/// is signed, so pass exactly the headers that will be sent (including `host`), and none that a proxy may rewrite.
///
/// Paths: pass the path as it goes on the wire (percent-encoded). With ``PathMode/s3`` each segment is decoded once
/// and re-encoded with the SigV4 rules, and the path is neither normalised nor encoded a second time, as S3
/// requires. ``PathMode/generic(normalizingPath:)`` is what other AWS services (and AWS's generic test suite) do:
/// remove `.`/`..` segments and repeated slashes if asked, then URI-encode the wire path again ("double encoding").
public struct SigV4Signer: Sendable {
    /// How the canonical URI is derived from the request path.
    public enum PathMode: Sendable, Equatable {
        /// S3: no normalisation, each segment encoded exactly once.
        case s3
        /// Every other service: optional RFC 3986 dot-segment and duplicate-slash removal, then encode again.
        case generic(normalizingPath: Bool)
    }

    /// What the last line of the canonical request (and `x-amz-content-sha256`) says about the body.
    public enum Payload: Sendable, Equatable {
        /// `UNSIGNED-PAYLOAD`: the body is not hashed (streamed uploads; TLS protects it in transit).
        case unsigned
        /// The lower-case hex SHA-256 of the whole body.
        case sha256Hex(String)

        /// The hash of `bytes`.
        public static func hashing(_ bytes: some DataProtocol) -> Payload {
            .sha256Hex(SHA256.hash(data: bytes).hexString)
        }

        /// The hash of an empty body.
        public static let empty = Payload.sha256Hex(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

        /// The value that goes into the canonical request and `x-amz-content-sha256`.
        public var headerValue: String {
            switch self {
            case .unsigned: return "UNSIGNED-PAYLOAD"
            case .sha256Hex(let hex): return hex
            }
        }
    }

    /// Everything the signature was computed from, for the request and for tests.
    public struct Signature: Sendable {
        /// The canonical request, lines joined by `\n`.
        public var canonicalRequest: String
        /// The string to sign: algorithm, timestamp, scope and the hash of the canonical request.
        public var stringToSign: String
        /// `host;x-amz-date;…`
        public var signedHeaders: String
        /// The lower-case hex HMAC-SHA256 signature.
        public var signature: String
        /// The value of the `Authorization` header.
        public var authorization: String
        /// Headers to add to the request as sent, `authorization` last. Their names are lower-case.
        public var headersToAdd: [(name: String, value: String)]
    }

    /// The key pair (and token) requests are signed with.
    public let credentials: S3Credentials
    /// The signing region, e.g. `us-east-1`.
    public let region: String
    /// The signing service name: `s3` for S3.
    public let service: String
    /// How paths become canonical URIs.
    public let pathMode: PathMode
    /// Whether `x-amz-content-sha256` is added and signed. S3 requires it; other services do not use it.
    public let addsContentSHA256Header: Bool
    /// Whether `x-amz-security-token` is part of the signature (true for S3) or only added after signing.
    public let signsSessionToken: Bool

    /// Creates a signer; the defaults are those of S3.
    public init(
        credentials: S3Credentials,
        region: String,
        service: String = "s3",
        pathMode: PathMode = .s3,
        addsContentSHA256Header: Bool = true,
        signsSessionToken: Bool = true
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.pathMode = pathMode
        self.addsContentSHA256Header = addsContentSHA256Header
        self.signsSessionToken = signsSessionToken
    }

    /// Signs one request.
    /// - Parameters:
    ///   - method: `GET`, `PUT`, …
    ///   - path: the percent-encoded path as sent, starting with `/`.
    ///   - query: query parameters, *not* encoded; an empty value is signed as `name=`.
    ///   - headers: the headers that will be sent (at least `host`); names in any case, repeated names allowed.
    ///     Any `authorization`, `x-amz-date`, `x-amz-content-sha256` or `x-amz-security-token` given is replaced.
    ///   - payload: the body hash or `UNSIGNED-PAYLOAD`.
    ///   - date: the signing time; S3 refuses requests more than 15 minutes off its clock.
    public func sign(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)],
        payload: Payload,
        date: Date = Date()
    ) -> Signature {
        let (amzDate, day) = Self.timestamps(date)
        let replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
        var signed = headers.filter { !replaced.contains($0.name.lowercased()) }
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if addsContentSHA256Header { added.append(("x-amz-content-sha256", payload.headerValue)) }
        if let token = credentials.sessionToken, signsSessionToken { added.append(("x-amz-security-token", token)) }
        signed += added
        if let token = credentials.sessionToken, !signsSessionToken { added.append(("x-amz-security-token", token)) }

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(signed)
        let canonicalRequest = [
            method.uppercased(),
            canonicalURI(path),
            Self.canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            payload.headerValue,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, SHA256.hash(data: Data(canonicalRequest.utf8)).hexString,
        ].joined(separator: "\n")
        let signature = Self.hmac(signingKey(day: day), stringToSign).hexString
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
            signature: signature, authorization: authorization,
            headersToAdd: added + [("authorization", authorization)])
    }

    // MARK: - Canonical parts

    /// The canonical URI of a wire path under this signer's ``PathMode``.
    func canonicalURI(_ path: String) -> String {
        let path = path.isEmpty ? "/" : path
        switch pathMode {
        case .s3:
            return path.split(separator: "/", omittingEmptySubsequences: false)
                .map { URIEncoding.encode(URIEncoding.decode(String($0)), keepingSlash: false) }
                .joined(separator: "/")
        case .generic(let normalizing):
            return URIEncoding.encode(normalizing ? Self.normalized(path) : path, keepingSlash: true)
        }
    }

    /// Parameters encoded, then sorted by name and value (byte order), joined with `&`.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (URIEncoding.encode($0.name, keepingSlash: false), URIEncoding.encode($0.value, keepingSlash: false)) }
            .sorted { $0.0 == $1.0 ? Array($0.1.utf8).lexicographicallyPrecedes($1.1.utf8) : Array($0.0.utf8).lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-case names, sorted; values trimmed with inner runs of whitespace collapsed; repeated names joined
    /// with `,` in the order given. Returns the header block (ending in a newline) and the signed-header list.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(collapsingWhitespace(header.value))
        }
        let names = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    private static func collapsingWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// RFC 3986 dot-segment removal plus collapsing of repeated slashes; a trailing slash is kept.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for part in parts {
            switch part {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(part)
            }
        }
        if segments.isEmpty { return "/" }
        let endsWithSlash = path.hasSuffix("/") || parts.last == "." || parts.last == ".."
        return "/" + segments.joined(separator: "/") + (endsWithSlash ? "/" : "")
    }

    // MARK: - Keys and time

    private func signingKey(day: String) -> SymmetricKey {
        let secret = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        let dateKey = Self.hmac(secret, day)
        let regionKey = Self.hmac(SymmetricKey(data: dateKey), region)
        let serviceKey = Self.hmac(SymmetricKey(data: regionKey), service)
        return SymmetricKey(data: Self.hmac(SymmetricKey(data: serviceKey), "aws4_request"))
    }

    private static func hmac(_ key: SymmetricKey, _ message: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
    }

    /// `20150830T123600Z` and `20150830` in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let day = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
        return (day + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z", day)
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex.
    var hexString: String {
        var out = ""
        for byte in self {
            out += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }
        return out
    }
}

extension Digest {
    var hexString: String { Array(self).hexString }
}

extension HashedAuthenticationCode {
    var hexString: String { Array(self).hexString }
}
