import BakeryS3
import Foundation
import Testing

/// Keys and prefixes of every awkward kind, against the second moto that scripts/test starts with IAM off
/// (`BAKERY_TEST_S3_OPEN_ENDPOINT`): moto's signature check rebuilds URLs from their decoded form and so refuses
/// these keys even from boto3 (see S3ClientMotoTests). Without the check, this shows that what goes on the wire
/// names exactly the key meant; that the signatures of such keys are right is shown by AWS's vectors.
@Suite("S3Client key encoding against moto without IAM")
struct S3ClientKeyEncodingTests {
    static let keys = [
        "exports/2026 Q1/clients+ünï=code&$.csv", "a+b/c=d&e", "percent%20literal%2F.txt", "sub-delims!'()*,;:@.txt",
        "unicode/日本語/ファイル.bin", "tilde~and_under-score.txt", "brackets[1]{2}<3>.txt", "hash#and?question.txt",
    ]

    func openServer() throws -> S3Client {
        let endpoint = try #require(
            ProcessInfo.processInfo.environment["BAKERY_TEST_S3_OPEN_ENDPOINT"].flatMap { $0.isEmpty ? nil : URL(string: $0) },
            "BAKERY_TEST_S3_OPEN_ENDPOINT is not set: run scripts/test, which starts a moto without IAM for these keys")
        var configuration = S3Client.Configuration(
            endpoint: endpoint, region: "us-east-1",
            credentials: S3Credentials(accessKeyID: "AKIDOPENMOTO", secretAccessKey: "any-secret"))
        configuration.retry = .fast
        configuration.listPageSize = 3
        return try S3Client(configuration: configuration)
    }

    @Test func awkwardKeysRoundTrip() async throws {
        let client = try openServer()
        let bucket = "bakery-keys-\(UUID().uuidString.prefix(8).lowercased())"
        try await client.createBucket(bucket)
        let scratch = try ScratchDirectory()
        for (index, key) in Self.keys.enumerated() {
            let body = Data("object \(index) \(key)".utf8)
            if index.isMultiple(of: 2) {
                try await client.put(body, bucket: bucket, key: key)
            } else {
                let file = scratch.file("\(index).bin")
                try body.write(to: file)
                try await client.upload(file, bucket: bucket, key: key)
            }
            #expect(try await client.read(bucket: bucket, key: key) == body, "\(key)")
            #expect(try await client.head(bucket: bucket, key: key)?.size == Int64(body.count), "\(key)")
        }
        #expect(try await client.list(bucket: bucket).map(\.key) == Self.keys.sorted(), "every page, keys exact")
        #expect(try await client.list(bucket: bucket, prefix: "exports/2026 Q1/").map(\.key) == [Self.keys[0]])
        #expect(try await client.list(bucket: bucket, prefix: "a+b/").map(\.key) == ["a+b/c=d&e"])

        let copy = try await client.copy(bucket: bucket, from: Self.keys[0], to: "copies/ü & +.csv")
        #expect(copy.size == Int64(Data("object 0 \(Self.keys[0])".utf8).count))
        let destination = scratch.file("back.csv")
        try await client.download(bucket: bucket, key: "copies/ü & +.csv", to: destination)
        #expect(try Data(contentsOf: destination) == Data("object 0 \(Self.keys[0])".utf8))
        for key in Self.keys + ["copies/ü & +.csv"] { try await client.delete(bucket: bucket, key: key) }
        #expect(try await client.list(bucket: bucket).isEmpty)
    }
}
