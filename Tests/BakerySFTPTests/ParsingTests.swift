import Foundation
import Testing

@testable import BakerySFTP

/// The pure parts: batch quoting, path rules, `ls -ln` lines and stderr classification
/// (on messages captured from OpenSSH 9.2), no server needed.
@Suite("SFTP parsing")
struct ParsingTests {
    @Test func quotingEscapesBackslashesAndQuotesOnly() {
        #expect(BatchScript.quote(#"a "b" \c *?[d] $e"#) == #""a \"b\" \\c *?[d] $e""#)
        var batch = BatchScript()
        batch.add("mkdir", "/x y", mayFail: true)
        batch.add("put", "/l", "/r", flags: "-f")
        #expect(batch.text == "-mkdir \"/x y\"\nput -f \"/l\" \"/r\"\n")
    }

    @Test func pathsAreRelativeAndJoinedOntoTheRoot() throws {
        #expect(try PathRules.components(ofRelative: "a//b/./c/").get() == ["a", "b", "c"])
        #expect(try PathRules.components(ofRelative: "").get() == [])
        for bad in ["/abs", "a/../b", "..", "x\ny", "x\ry", "x\u{0}", "tab\there"] {
            #expect((try? PathRules.components(ofRelative: bad).get()) == nil, "\(bad)")
        }
        #expect(PathRules.join(root: "/srv/drop/", ["a", "b"]) == "/srv/drop/a/b")
        #expect(PathRules.join(root: "/", ["a"]) == "/a")
        #expect(PathRules.join(root: "", ["-x"]) == "./-x")
        #expect(PathRules.join(root: "", []) == ".")
        #expect(PathRules.join(root: "rel", []) == "rel")
    }

    @Test func longListingLinesGiveSizeTimeAndName() throws {
        let now = Date(timeIntervalSince1970: 1_764_655_200)  // 2025-12-02T06:00:00Z
        let recent = try #require(
            ListingParser.parse("-rw-r--r--    ? 0        0            5 Dec  2 05:04 sub dir/a b.txt", now: now))
        #expect(recent.isRegularFile && recent.size == 5 && recent.name == "sub dir/a b.txt")
        #expect(recent.precision == .minute)
        #expect(recent.modified == Date(timeIntervalSince1970: 1_764_651_840))  // 2025-12-02T05:04:00Z

        // Within six months but in the previous calendar year.
        let january = Date(timeIntervalSince1970: 1_767_312_000)  // 2026-01-02T00:00:00Z
        let lastYear = try #require(ListingParser.parse("-rw-r--r--    1 0 0 9 Dec 31 23:59 x", now: january))
        #expect(lastYear.modified == Date(timeIntervalSince1970: 1_767_225_540))  // 2025-12-31T23:59:00Z

        let old = try #require(
            ListingParser.parse("-rw-------    1 user name  group x  1234567890 Jan  2  2020  two spaces", now: now))
        #expect(old.size == 1_234_567_890 && old.precision == .day && old.name == " two spaces")
        #expect(old.modified == Date(timeIntervalSince1970: 1_577_923_200))

        let folder = try #require(ListingParser.parse("drwxr-xr-x    ? 0 0 4096 Dec  2 05:04 only/", now: now))
        #expect(folder.isDirectory && !folder.isRegularFile && folder.name == "only")
        #expect(ListingParser.parse("Can't ls: \"/x/*\" not found", now: now) == nil)
        #expect(ListingParser.parse("-rw-r--r--    ? 0 0 5 Foo  2 05:04 x", now: now) == nil)
    }

    @Test func aNameWithALineBreakIsDropped() {
        let output = """
            sftp> -ls -ln *
            -rw-r--r--    ? 0        0            1 Dec  2 05:04 ok.txt
            -rw-r--r--    ? 0        0            2 Dec  2 05:04 broken
            name.txt
            -rw-r--r--    ? 0        0            3 Dec  2 05:04 after.txt
            """
        #expect(ListingParser.entries(in: output).map(\.name) == ["ok.txt", "after.txt"])
        let trailing = "-rw-r--r--    ? 0 0 1 Dec  2 05:04 ends-in-newline\n\n-rw-r--r--    ? 0 0 1 Dec  2 05:04 next\n"
        #expect(ListingParser.entries(in: trailing).map(\.name) == ["next"])
    }

    static let samples: [(String, SFTPError.Kind)] = [
        (
            "ssh: Could not resolve hostname nonexistent.invalid: Name or service not known\nConnection closed",
            .hostNotResolved
        ),
        ("ssh: connect to host 127.0.0.1 port 1: Connection refused\nConnection closed", .connectionRefused),
        ("Connection timed out during banner exchange\nConnection closed", .connectionTimedOut),
        ("ssh: connect to host 10.0.0.1 port 22: Connection timed out", .connectionTimedOut),
        (
            "No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\n"
                + "Host key verification failed.\nConnection closed", .hostKeyUnknown
        ),
        (
            "@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@\n"
                + "Host key for [127.0.0.1]:2222 has changed and you have requested strict checking.\n"
                + "Host key verification failed.", .hostKeyChanged
        ),
        ("root@127.0.0.1: Permission denied (publickey).\nConnection closed", .authenticationFailed),
        (
            "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\nPermissions 0644 for '/k' are too open.\n"
                + "Load key \"/k\": bad permissions\nroot@127.0.0.1: Permission denied (publickey).", .keyFileUnusable
        ),
        (
            "Warning: Identity file /nokey not accessible: No such file or directory.\n"
                + "root@127.0.0.1: Permission denied (publickey).", .keyFileUnusable
        ),
        ("Load key \"/k\": error in libcrypto\nroot@127.0.0.1: Permission denied (publickey).", .keyFileUnusable),
        ("dest open \"/srv/x\": Permission denied", .permissionDenied),
        ("remote mkdir \"/srv/a\": Permission denied\nstat remote: No such file or directory", .permissionDenied),
        ("File \"/srv/nope\" not found.", .noSuchFile),
        ("stat remote: No such file or directory", .noSuchFile),
        ("Can't change directory: \"/srv/f\" is not a directory", .noSuchFile),
        ("remote rename \"/a\" to \"/b\": Failure", .failed),
        ("", .failed),
    ]

    @Test(arguments: ParsingTests.samples)
    func stderrIsClassified(stderr: String, kind: SFTPError.Kind) {
        #expect(ErrorClassification.classify(stderr: stderr).kind == kind)
    }

    @Test func descriptionsSayWhatAndWhere() {
        let error = SFTPError(
            .hostKeyChanged, operation: "upload", endpoint: "bakery@files.example:2222", path: "/drop/a.csv",
            detail: "Host key for [files.example]:2222 has changed")
        #expect(error.description.hasPrefix("SFTP upload on bakery@files.example:2222 \"/drop/a.csv\": "))
        #expect(error.description.contains("CHANGED"))
        #expect(SFTPConfiguration(user: "u", host: "::1", port: 22).endpoint == "u@[::1]:22")
    }
}
