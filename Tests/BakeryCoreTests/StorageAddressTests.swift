import BakeryCore
import Foundation
import Testing

@Suite("Storage addresses")
struct StorageAddressTests {
    @Test(arguments: [
        ("s3://da-production-transfer-acme/exports/", "s3://da-production-transfer-acme/exports/"),
        ("s3://acme-crm", "s3://acme-crm/"),
        ("S3://acme-crm/in", "s3://acme-crm/in/"),
        ("sftp://bakery@files.nord.se:2222/outgoing/", "sftp://bakery@files.nord.se:2222/outgoing/"),
        ("sftp://bakery@127.0.0.1/", "sftp://bakery@127.0.0.1/"),
        ("file:///srv/drop", "file:///srv/drop/"),
    ])
    func goodAddressesReadBackTheSame(text: String, normal: String) throws {
        #expect(try StorageAddress(parsing: text).description == normal)
    }

    @Test(arguments: [
        ("ftp://host/", "the scheme must be s3, sftp or file"),
        ("s3://AB/", "is not a bucket name"),
        ("s3://user@bucket/", "takes no user or port"),
        ("sftp://host/path/", "names its user"),
        ("sftp://bakery:secret@host/", "a password never goes into the URL"),
        ("sftp://bakery@host:99999/", "the port must be 1-65535"),
        ("sftp://bakery@host/../etc/", "'.' and '..' are not allowed"),
        ("file://relative/path", "file:///ABSOLUTE/PATH/"),
        ("s3://bucket/a b/", "spaces"),
        ("just-a-path", "no scheme"),
    ])
    func badAddressesSayWhatIsWrong(text: String, reason: String) {
        do {
            _ = try StorageAddress(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.localizedDescription.contains(reason), "\(error.localizedDescription)")
            #expect(!error.localizedDescription.contains("secret"), "a password is never repeated back")
        }
    }

    @Test func optionsMustFitTheKindOfLocation() throws {
        let sftp = try StorageAddress(parsing: "sftp://bakery@host/")
        #expect(throws: BakeryError.self) {
            try StorageLocation(clientID: "a", role: .intake, address: sftp, region: "eu-west-1").validated()
        }
        let s3 = try StorageAddress(parsing: "s3://bucket/")
        #expect(throws: BakeryError.self) {
            try StorageLocation(clientID: "a", role: .intake, address: s3, accessKeyVariable: "ID").validated()
        }
        #expect(throws: BakeryError.self) {
            try StorageLocation(clientID: "a", role: .intake, address: s3, endpoint: "not a url").validated()
        }
        #expect(throws: BakeryError.self) {
            try StorageLocation(clientID: "a", role: .intake, address: s3, keyFile: "/nonexistent/creds").validated()
        }
    }

    @Test func aVersionIsTheETagOrSizeAndSecond() {
        #expect(StoredFile(key: "k", size: 3, etag: "abc").version == "etag:abc")
        #expect(StoredFile(key: "k", size: 3, modified: Date(timeIntervalSince1970: 10.7)).version == "size:3,mtime:10")
    }
}
