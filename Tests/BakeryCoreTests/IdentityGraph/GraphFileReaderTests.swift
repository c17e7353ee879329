import Foundation
import Testing

@testable import BakeryCore

@Suite("Identity-graph file reader")
struct GraphFileReaderTests {
    static let now = Date(timeIntervalSince1970: 1_795_694_400)
    static let da = "0123456789abcdef0123456789abcdef"
    static let email = IdentifierHash.sha256(of: "john.sam@mail.com")
    static let phone = IdentifierHash.sha256(of: "31612345678")

    private func read(_ url: URL) throws -> (GraphReadSummary, [GraphRowOutcome]) {
        var outcomes: [GraphRowOutcome] = []
        let summary = try GraphFileReader(url: url, now: Self.now).read { outcomes.append($0) }
        return (summary, outcomes)
    }

    private func edges(_ outcomes: [GraphRowOutcome]) -> [GraphEdge] {
        outcomes.flatMap { outcome -> [GraphEdge] in
            if case .accepted(_, let edges) = outcome { return edges }
            return []
        }
    }

    private func rejections(_ outcomes: [GraphRowOutcome]) -> [CRMRowRejection] {
        outcomes.compactMap { if case .rejected(let rejection) = $0 { rejection } else { nil } }
    }

    @Test func daIDRowsGiveOneEdgePerHashWithLastSeen() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let text =
            "DA_ID,Email_SHA256,phone_sha256,Last Seen,note\r\n"
            + "\(Self.da),\(Self.email.hex.uppercased()),\(Self.phone.hex),2026-11-01T10:20:30Z,x\r\n"
            + "\(Self.da),\(Self.email.hex),,,y\r\n"
        for url in [
            try files.plain("g.csv", text), try files.gzip("g.csv.gz", text), try files.zip("g.zip", [("g.csv", text)]),
        ] {
            let (summary, outcomes) = try read(url)
            #expect(summary.rows == 2 && summary.accepted == 2 && summary.rejected == 0 && summary.edges == 3)
            #expect(summary.ignoredColumns == ["note"])
            let lastSeen = ISOTime.parse("2026-11-01T10:20:30Z")!
            #expect(
                edges(outcomes) == [
                    GraphEdge(node: .daID(Self.da), identifier: Identifier(.email, Self.email), lastSeen: lastSeen),
                    GraphEdge(node: .daID(Self.da), identifier: Identifier(.phone, Self.phone), lastSeen: lastSeen),
                    GraphEdge(node: .daID(Self.da), identifier: Identifier(.email, Self.email), lastSeen: Self.now),
                ])
        }
    }

    @Test func deviceRowsAreLowerCasedAndTyped() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.plain(
            "d.csv",
            "device_id,device_type,email_sha256\n"
                + "6D92078A-8246-4BA4-AE5B-76104861E7DC,idfa,\(Self.email.hex)\n"
                + "38400000-8cf0-11bd-b23e-10b96e40000d,AAID,\(Self.email.hex)\n"
                + "not-a-uuid,AAID,\(Self.email.hex)\n"
                + "38400000-8cf0-11bd-b23e-10b96e40000d,GAID,\(Self.email.hex)\n")
        let (summary, outcomes) = try read(url)
        #expect(summary.accepted == 2 && summary.rejected == 2)
        #expect(
            edges(outcomes).map(\.node) == [
                .device(.idfa, "6d92078a-8246-4ba4-ae5b-76104861e7dc"),
                .device(.aaid, "38400000-8cf0-11bd-b23e-10b96e40000d"),
            ])
        #expect(rejections(outcomes).map(\.reason) == [.invalidAAID, .invalidDeviceType])
        #expect(rejections(outcomes)[1].maskedValue == "GAID")
    }

    @Test func badRowsAreRejectedWithRowNumbersAndMaskedValues() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let emptyHash = IdentifierHash.sha256(of: "").hex
        let url = try files.plain(
            "bad.csv",
            "da_id,email_sha256,last_seen\n"
                + "\(Self.da.uppercased()),\(Self.email.hex),\n"
                + "\(Self.da),abc123,\n"
                + "\(Self.da),\(emptyHash),\n"
                + "\(Self.da),,\n"
                + "\(Self.da),\(Self.email.hex),yesterday\n"
                + "\(Self.da),\(Self.email.hex),2027-01-01T00:00:00Z\n"
                + "\(Self.da),\(Self.email.hex)\n"
                + "\(Self.da),\(Self.email.hex),2026-01-15\n")
        let (summary, outcomes) = try read(url)
        #expect(summary.rows == 8 && summary.accepted == 1 && summary.edges == 1)
        let rejected = rejections(outcomes)
        #expect(
            rejected.map(\.reason) == [
                .invalidDAID, .invalidHash, .invalidHash, .noIdentifier, .invalidLastSeen, .invalidLastSeen,
                .wrongFieldCount,
            ])
        #expect(rejected.map(\.row) == [1, 2, 3, 4, 5, 6, 7])
        #expect(rejected[0].column == "da_id" && rejected[0].maskedValue == "0***EF")
        #expect(rejected[1].column == "email_sha256" && rejected[1].maskedValue == "***")
        #expect(edges(outcomes).first?.lastSeen == Day(iso: "2026-01-15")!.start)
    }

    @Test(arguments: [
        ("email_sha256\n", "no node column"),
        ("da_id,device_id,device_type,email_sha256\n", "both 'da_id' and 'device_id'"),
        ("device_id,email_sha256\n", "go together"),
        ("da_id,last_seen\n", "no hash column"),
        ("da_id,email_sha256,hashed_email\n", "both mean 'email_sha256'"),
    ])
    func headersThatCannotWorkAreRefused(header: String, message: String) throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.plain("h.csv", header + "x,y,z,w\n")
        #expect {
            try GraphFileReader(url: url, now: Self.now).read { _ in }
        } throws: { error in
            guard case BakeryError.invalidInput(let text) = error else { return false }
            return text.contains(message)
        }
    }

    @Test func aHeaderOnlyFileIsRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let url = try files.plain("h.csv", "da_id,email_sha256\r\n")
        #expect(throws: BakeryError.self) { try GraphFileReader(url: url, now: Self.now).read { _ in } }
    }

    @Test func theFastTimeParserAgreesWithISOTime() {
        for text in ["2026-11-29T02:00:00Z", "2024-02-29T23:59:59Z", "1999-12-31T00:00:01Z"] {
            #expect(GraphRowParser.time(text) == ISOTime.parse(text), "\(text)")
        }
        #expect(GraphRowParser.time("2026-11-29T25:00:00Z") == nil)
        #expect(GraphRowParser.time("2026-11-29T02:00:00+01:00") == ISOTime.parse("2026-11-29T01:00:00Z"))
    }
}
