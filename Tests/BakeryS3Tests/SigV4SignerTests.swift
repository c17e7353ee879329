import BakeryS3
import Foundation
import Testing

@Suite("SigV4 signer details")
struct SigV4SignerTests {
    let signer = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test func s3PathsAreEncodedOnceAndNotNormalised() {
        let signature = signer.sign(
            method: "GET", path: "/bucket/a%20b/./c//%E2%82%AC+%24%25", headers: [("host", "h")], payload: .empty, date: date)
        let uri = signature.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1]
        #expect(uri == "/bucket/a%20b/./c//%E2%82%AC%2B%24%25")
    }

    @Test func genericPathsAreNormalisedAndEncodedAgain() {
        let generic = SigV4Signer(credentials: signer.credentials, region: "us-east-1", service: "service", pathMode: .generic(normalizingPath: true))
        let signature = generic.sign(method: "GET", path: "/a/./b/../c%20d//", headers: [("host", "h")], payload: .empty, date: date)
        #expect(signature.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/a/c%2520d/")
    }

    @Test func queryIsEncodedAndSortedByNameThenValue() {
        let signature = signer.sign(
            method: "GET", path: "/",
            query: [("prefix", "a/b c+"), ("list-type", "2"), ("a", "2"), ("a", "1"), ("continuation-token", "x=y&z"), ("uploads", "")],
            headers: [("host", "h")], payload: .empty, date: date)
        #expect(signature.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2]
            == "a=1&a=2&continuation-token=x%3Dy%26z&list-type=2&prefix=a%2Fb%20c%2B&uploads=")
    }

    @Test func sessionTokenIsSignedAndSent() {
        let withToken = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "TOKEN"), region: "eu-west-1")
        let signature = withToken.sign(method: "PUT", path: "/b/k", headers: [("Host", "h")], payload: .unsigned, date: date)
        #expect(signature.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(signature.headersToAdd.map(\.name) == ["x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"])
        #expect(signature.headersToAdd.first { $0.name == "x-amz-security-token" }?.value == "TOKEN")
        #expect(signature.authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/20130524/eu-west-1/s3/aws4_request, "))
        #expect(!signature.authorization.contains("secret"))
    }

    @Test func callerCannotSmuggleTheSignersOwnHeaders() {
        let signature = signer.sign(
            method: "GET", path: "/", headers: [("host", "h"), ("X-Amz-Date", "19990101T000000Z"), ("Authorization", "x")],
            payload: .empty, date: date)
        #expect(signature.canonicalRequest.contains("x-amz-date:20130524T000000Z\n"))
        #expect(!signature.canonicalRequest.contains("1999"))
        #expect(signature.signedHeaders == "host;x-amz-content-sha256;x-amz-date")
    }

    @Test func payloadHashOfEmptyBodyIsTheKnownValue() {
        #expect(SigV4Signer.Payload.hashing(Data()) == .empty)
        #expect(SigV4Signer.Payload.hashing(Data("Welcome to Amazon S3.".utf8)).headerValue
            == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = S3Credentials(accessKeyID: "AKIDVISIBLE", secretAccessKey: "TOP-SECRET-VALUE", sessionToken: "TOKEN-VALUE")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials), dumped, "\([credentials])"] {
            #expect(text.contains("AKIDVISIBLE"))
            #expect(!text.contains("TOP-SECRET-VALUE"), "\(text)")
            #expect(!text.contains("TOKEN-VALUE"), "\(text)")
        }
    }

    @Test func retryDelaysGrowWithJitterAndStayCapped() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .milliseconds(350))
        for _ in 0..<50 {
            let first = policy.delay(beforeRetry: 1)
            let third = policy.delay(beforeRetry: 3)
            let tenth = policy.delay(beforeRetry: 10)
            #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
            #expect(third >= .milliseconds(175) && third <= .milliseconds(350))
            #expect(tenth >= .milliseconds(175) && tenth <= .milliseconds(350))
        }
        #expect(RetryPolicy(maxAttempts: 0, baseDelay: .zero, maxDelay: .zero).maxAttempts == 1)
    }
}
