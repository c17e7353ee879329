import BakeryS3
import Foundation
import Testing

/// AWS's published SigV4 vectors (see Vectors/README.md), checked byte for byte.
@Suite("SigV4 published test vectors")
struct SigV4VectorTests {
    static let suiteCases = VectorCase.all(in: "aws-signing-test-suite-v4")
    static let s3Cases = VectorCase.all(in: "s3-docs-examples")

    @Test func vectorsArePresent() {
        #expect(Self.suiteCases.count == 38)
        #expect(Self.s3Cases.map(\.name).sorted() == ["get-bucket-lifecycle", "get-object-range", "list-objects", "put-object"])
    }

    @Test("generic-service suite", arguments: suiteCases)
    func genericSuite(_ vector: VectorCase) throws {
        let signature = try vector.sign()
        #expect(signature.canonicalRequest == vector.file("header-canonical-request.txt"), "\(vector.name)")
        #expect(signature.stringToSign == vector.file("header-string-to-sign.txt"), "\(vector.name)")
        #expect(signature.signature == vector.file("header-signature.txt"), "\(vector.name)")
        let signedRequest = vector.file("header-signed-request.txt")
        let authorization = signedRequest.split(separator: "\n").first { $0.hasPrefix("Authorization:") }
            .map { String($0.dropFirst("Authorization:".count)) }
        #expect(signature.authorization == authorization, "\(vector.name)")
        // What the signed request carries must be what the suite's signed request carries.
        for (name, value) in signature.headersToAdd where name != "authorization" {
            #expect(signedRequest.lowercased().contains("\(name):\(value)".lowercased()), "\(vector.name): \(name)")
        }
    }

    @Test("S3 API reference examples", arguments: s3Cases)
    func s3Examples(_ vector: VectorCase) throws {
        let signature = try vector.sign()
        #expect(signature.canonicalRequest == vector.file("header-canonical-request.txt"), "\(vector.name)")
        #expect(signature.stringToSign == vector.file("header-string-to-sign.txt"), "\(vector.name)")
        #expect(signature.signature == vector.file("header-signature.txt"), "\(vector.name)")
        #expect(signature.authorization.replacingOccurrences(of: ", ", with: ",") == vector.file("authorization.txt"))
    }

    @Test func s3ExampleWithUnsignedPayloadDiffersOnlyInPayloadLine() throws {
        let vector = try #require(Self.s3Cases.first { $0.name == "put-object" })
        let signed = try vector.sign()
        let unsigned = try vector.sign(payload: .unsigned)
        #expect(unsigned.canonicalRequest == signed.canonicalRequest.replacingOccurrences(
            of: "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", with: "UNSIGNED-PAYLOAD"))
        #expect(unsigned.headersToAdd.contains { $0.name == "x-amz-content-sha256" && $0.value == "UNSIGNED-PAYLOAD" })
        #expect(unsigned.signature != signed.signature)
    }
}

/// One directory of vectors: its context, request and expected files.
struct VectorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let directory: URL

    var testDescription: String { name }

    static func all(in group: String) -> [VectorCase] {
        guard let root = Bundle.module.url(forResource: "Vectors", withExtension: nil)?.appendingPathComponent(group),
            let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.map {
            VectorCase(name: $0, directory: root.appendingPathComponent($0))
        }
    }

    func file(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? "<missing \(name)>"
    }

    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    /// Parses request.txt and signs it as context.json says.
    func sign(payload: SigV4Signer.Payload? = nil) throws -> SigV4Signer.Signature {
        let context = try JSONDecoder().decode(Context.self, from: Data(file("context.json").utf8))
        let request = try ParsedRequest(file("request.txt"))
        let signer = SigV4Signer(
            credentials: S3Credentials(
                accessKeyID: context.credentials.access_key_id,
                secretAccessKey: context.credentials.secret_access_key, sessionToken: context.credentials.token),
            region: context.region, service: context.service,
            pathMode: context.service == "s3" ? .s3 : .generic(normalizingPath: context.normalize),
            addsContentSHA256Header: context.sign_body,
            signsSessionToken: !(context.omit_session_token ?? false))
        let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
        return signer.sign(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            payload: payload ?? .hashing(request.body), date: date)
    }
}

/// An HTTP/1.1 request as the vector files write it: the request line, headers (a line starting with white
/// space continues the previous header), an empty line, the body.
struct ParsedRequest {
    var method: String
    var path: String
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body = Data()

    init(_ text: String) throws {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let firstSpace = try #require(requestLine.firstIndex(of: " "))
        let version = try #require(requestLine.range(of: " HTTP/", options: .backwards))
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<version.lowerBound])
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
                query.append((name, value))
            }
        } else {
            path = target
        }
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            let colon = try #require(line.firstIndex(of: ":"))
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        body = Data(lines.joined(separator: "\n").utf8)
    }
}
