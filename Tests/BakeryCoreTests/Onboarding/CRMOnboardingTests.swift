import Foundation
import Testing

@testable import BakeryCore

@Suite("CRM header mapping, rows and reports")
struct CRMOnboardingTests {
    static let today = Day(iso: "2026-11-29")!

    private func mapping(_ header: [String], country: String = "NL") throws -> CRMHeaderMapping {
        try CRMHeaderMapping(header: header, country: country)
    }

    @Test(arguments: [
        ("Email", CRMColumn.email), (" E-mail ", .email), ("MAIL", .email), ("e_mail", .email), ("Phone", .phone),
        ("Mobile", .phone), ("telephone", .phone), ("Telefoon", .phone), ("postal code", .postalCode),
        ("Postcode", .postalCode),
        ("ZIP", .postalCode), ("postal_code", .postalCode), ("house number", .houseNumber),
        ("housenumber", .houseNumber), ("House_Number", .houseNumber), ("extension", .extension), ("street", .street),
        ("apartment", .apartment), ("Personnummer", .personalID), ("personal id", .personalID),
        ("EMAIL_SHA256", .emailSHA256), ("phone_sha256", .phoneSHA256), ("address_sha256", .addressSHA256),
        ("personal_id_sha256", .personalIDSHA256), ("AAID", .aaid), ("idfa", .idfa), ("custom", .custom),
        ("extra", .custom), ("Lägenhet", .apartment),
    ])
    func headerAliases(header: String, column: CRMColumn) {
        #expect(CRMColumn(header: header) == column)
    }

    @Test func unknownColumnsAreIgnoredAndReported() throws {
        let map = try mapping(["first name", "Email", "", "last name"])
        #expect(map.columns.map(\.column) == [.email])
        #expect(map.columns.map(\.index) == [1])
        #expect(map.ignoredColumns == ["first name", "", "last name"])
    }

    @Test func refusedHeaders() throws {
        // No identifier at all, and the message lists what is accepted.
        do {
            _ = try mapping(["name", "custom"])
            Issue.record("accepted a header without identifier")
        } catch let BakeryError.invalidInput(message) {
            #expect(message.contains("email_sha256") && message.contains("personal id"))
        }
        #expect(throws: BakeryError.self) { try mapping(["Email", "e-mail"]) }
        #expect(throws: BakeryError.self) { try mapping(["Email", "email_sha256"]) }
        #expect(throws: BakeryError.self) { try mapping(["Email", "address_sha256"]) }
        #expect(throws: BakeryError.self) { try mapping(["postal code", "house number", "address_sha256"]) }
        #expect(throws: BakeryError.self) { try mapping(["postal code", "extension"]) }
        #expect(throws: BakeryError.self) { try mapping(["postal code", "house number"], country: "SE") }
        #expect(throws: BakeryError.self) { try mapping(["Email", "postal code", "house number"], country: "DE") }
        #expect(throws: BakeryError.self) { try mapping(["Email", "Phone"], country: "XX") }
        #expect(try mapping(["Email", "Phone"], country: "de").columns.count == 2)
        // Update files may carry address_sha256.
        #expect(try mapping(["email_sha256", "address_sha256", "custom"]).columns.count == 3)
    }

    private func parser(_ header: [String], country: String = "NL") throws -> CRMRowParser {
        CRMRowParser(
            clientID: "acme", country: country, mapping: try mapping(header, country: country), today: Self.today)
    }

    private func row(_ fields: [String], _ number: Int = 1) -> CSVRecord {
        CSVRecord(row: number, line: number + 1, fields: fields)
    }

    @Test func rowBecomesHashedRecord() throws {
        let p = try parser(["Email", "Phone", "postal code", "house number", "extension", "custom"])
        let outcome = p.parse(row(["John.Sam@MAIL.COM", "0612345678", "1234 ab", "12", "a", " CRM-1 "]))
        guard case .accepted(let number, let record) = outcome else {
            Issue.record("rejected: \(outcome)")
            return
        }
        #expect(number == 1)
        #expect(record.clientID == "acme" && record.recordID == "CRM-1")
        #expect(
            record.identifiers == [
                Identifier(
                    .email, IdentifierHash(hex: "a7df77a9db89b44110c704b680a24978579a3069b419db95cbda84541094adba")!),
                Identifier(.phone, IdentifierHash.sha256(of: "31612345678")),
                Identifier(.address, IdentifierHash.sha256(of: "NL|1234AB|12|A")),
            ])
    }

    @Test func recordIDFallsBackToPrimaryHash() throws {
        let p = try parser(["phone", "email"])
        guard case .accepted(_, let record) = p.parse(row(["+31612345678", "a@b.nl"])) else {
            Issue.record("rejected")
            return
        }
        #expect(record.recordID == IdentifierHash.sha256(of: "a@b.nl").hex)
        guard case .accepted(_, let phoneOnly) = p.parse(row(["+31612345678", " "])) else {
            Issue.record("rejected")
            return
        }
        #expect(phoneOnly.recordID == IdentifierHash.sha256(of: "31612345678").hex)
        #expect(phoneOnly.identifiers.count == 1)
    }

    @Test func updateFileRow() throws {
        let p = try parser(["email_sha256", "address_sha256", "aaid", "idfa", "extra"])
        let hex = String(repeating: "Ab", count: 32)
        let device = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
        guard case .accepted(_, let record) = p.parse(row([hex, "", device, device, "id-9"])) else {
            Issue.record("rejected")
            return
        }
        #expect(record.recordID == "id-9")
        #expect(record.identifiers.map(\.kind) == [.email, .aaid, .idfa])
        #expect(record.identifiers[0].hash.hex == hex.lowercased())
        #expect(record.identifiers[1].hash == IdentifierHash.sha256(of: device.lowercased()))
    }

    @Test func swedishRow() throws {
        let p = try parser(["personnummer", "postnummer", "gatunummer", "gata", "lägenhet", "mobil"], country: "SE")
        guard
            case .accepted(_, let record) = p.parse(
                row(["811218-9876", "114 53", "12B", "Storgatan", "1102", "070-123 45 67"]))
        else {
            Issue.record("rejected")
            return
        }
        #expect(record.identifiers.contains(Identifier(.personalID, IdentifierHash.sha256(of: "198112189876"))))
        #expect(
            record.identifiers.contains(Identifier(.address, IdentifierHash.sha256(of: "SE|11453|STORGATAN|12B|1102"))))
        #expect(record.identifiers.contains(Identifier(.phone, IdentifierHash.sha256(of: "46701234567"))))
    }

    @Test(arguments: [
        (["j.doe@@x.nl", "0612345678", "", ""], RejectionReason.invalidEmail, "Email" as String?),
        (["a@b.nl", "12", "", ""], .invalidPhone, "Phone"),
        (["a@b.nl", "", "0000XX", "1"], .invalidAddress, "postal code"),
        (["a@b.nl", "", "1234AB", ""], .invalidAddress, "house number"),
        (["", "", "", ""], .noIdentifier, nil),
    ])
    func wholeRowIsRejected(fields: [String], reason: RejectionReason, column: String?) throws {
        let p = try parser(["Email", "Phone", "postal code", "house number"])
        guard case .rejected(let rejection) = p.parse(row(fields, 7)) else {
            Issue.record("accepted \(fields)")
            return
        }
        #expect(rejection.reason == reason && rejection.column == column && rejection.row == 7 && rejection.line == 8)
    }

    @Test func customIDAloneIsNoIdentifier() throws {
        let p = try parser(["Email", "custom"])
        guard case .rejected(let rejection) = p.parse(row(["", "CRM-1"])) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.reason == .noIdentifier)
        guard case .rejected(let bad) = p.parse(row(["a@b.nl", "x\u{1}y"])) else {
            Issue.record("accepted")
            return
        }
        #expect(bad.reason == .invalidCustomID)
    }

    @Test func rejectionsOnlyCarryMaskedValues() throws {
        let p = try parser(["Email", "Phone", "email_sha256"].dropLast() + ["personnummer"], country: "SE")
        let secrets = ["john.sammy@@mail.com", "+31 6 1234 56789", "811218-9875"]
        for (index, secret) in secrets.enumerated() {
            var fields = ["", "", ""]
            fields[index] = secret
            guard case .rejected(let rejection) = p.parse(row(fields)) else {
                Issue.record("accepted \(index)")
                continue
            }
            let masked = try #require(rejection.maskedValue)
            #expect(!masked.contains(secret) && masked != secret)
            #expect(!masked.filter(\.isNumber).contains("12345"))
            #expect(!masked.contains("john.sammy"))
        }
    }

    @Test(arguments: [
        ("john.sam@mail.com", CRMColumn.email, "j***@mail.com"),
        ("jo@mail.com", .email, "***@mail.com"),
        ("+31612345678", .phone, "+316****5678"),
        ("0612345", .phone, "****45"),
        ("123", .phone, "****"),
        ("811218-9876", .personalID, "8***"),
        ("198112189876", .personalID, "1***76"),
        ("abc", .custom, "***"),
    ])
    func masks(raw: String, column: CRMColumn, expected: String) {
        #expect(MaskedValue.mask(raw, column: column) == expected)
    }

    /// Whatever the value and column, a mask never contains a value of four or more characters
    /// whole, and never shows more than seven of its letters and digits (e-mail domains aside).
    @Test func masksNeverRevealTheValue() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789+-. @")
        for column in CRMColumn.allCases {
            for length in 1...80 {
                let value = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                let masked = MaskedValue.mask(value, column: column)
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if trimmed.count >= 4, !(column == .email && trimmed.contains("@")) {
                    #expect(!masked.contains(trimmed), "\(column): \(value) → \(masked)")
                    #expect(masked.filter { $0.isLetter || $0.isNumber }.count <= 7, "\(column): \(value) → \(masked)")
                }
            }
        }
    }

    @Test func reportCountsAndCSV() {
        var report = RejectionReport(maxEntries: 2)
        report.add(
            CRMRowRejection(row: 1, line: 2, reason: .invalidEmail, column: "Email", maskedValue: "j***@mail.com"))
        report.add(CRMRowRejection(row: 4, line: 5, reason: .noIdentifier))
        report.add(CRMRowRejection(row: 9, line: 10, reason: .invalidEmail, column: "e,mail", maskedValue: "a\"***"))
        #expect(report.total == 3 && report.entries.count == 2 && report.isTruncated)
        #expect(report.countsByReason == ["invalid_email": 2, "no_identifier": 1])
        #expect(
            report.csv()
                == "row,line,reason,column,masked_value\r\n1,2,invalid_email,Email,j***@mail.com\r\n4,5,no_identifier,,\r\n"
        )
        var quoted = RejectionReport()
        quoted.add(CRMRowRejection(row: 9, line: 10, reason: .invalidEmail, column: "e,mail", maskedValue: "a\"***"))
        #expect(quoted.csv().hasSuffix("9,10,invalid_email,\"e,mail\",\"a\"\"***\"\r\n"))
    }

    @Test func fileEndToEnd() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let text =
            "E-mail,Telefoon,Postcode,Huisnummer,Toevoeging,Notes;x\r\n"
            + "John.Sam@MAIL.COM,0612345678,1234AB,12,a,vip\r\n"
            + "broken,0612345678,,,,\r\n"
            + "x@y.nl,,,,\r\n"
            + ",,,,,\r\n"
        let url = try files.zip("crm.zip", [("crm.csv", text)])
        var accepted: [CRMRecord] = []
        var report = RejectionReport()
        let reader = try CRMFileReader(url: url, clientID: "acme", country: "NL", today: Self.today)
        let summary = try reader.read { outcome in
            switch outcome {
            case .accepted(_, let record): accepted.append(record)
            case .rejected(let rejection): report.add(rejection)
            }
        }
        #expect(summary.rows == 4 && summary.accepted == 1 && summary.rejected == 3)
        #expect(summary.ignoredColumns == ["Notes;x"])
        #expect(accepted.first?.identifiers.map(\.kind) == [.email, .phone, .address])
        #expect(report.countsByReason == ["invalid_email": 1, "wrong_field_count": 1, "no_identifier": 1])
        #expect(!report.csv().contains("broken"))
    }

    @Test func parallelNormalisationKeepsFileOrder() throws {
        let files = try TempFiles()
        defer { files.remove() }
        var text = "Email,Phone,custom\n"
        for index in 0..<20_000 {
            let email = index % 7 == 0 ? "bad\(index)" : "user\(index)@example.com"
            text += "\(email),+3161\(1_000_000 + index),id-\(index)\n"
        }
        let url = try files.gzip("many.csv.gz", text)
        func outcomes(workers: Int) throws -> ([CRMRowOutcome], CRMReadSummary) {
            var all: [CRMRowOutcome] = []
            let reader = try CRMFileReader(
                url: url, clientID: "acme", country: "NL", today: Self.today, workers: workers)
            let summary = try reader.read { all.append($0) }
            return (all, summary)
        }
        let (serial, serialSummary) = try outcomes(workers: 1)
        let (parallel, parallelSummary) = try outcomes(workers: 4)
        #expect(serial.count == 20_000 && serial == parallel && serialSummary == parallelSummary)
        #expect(serialSummary.rejected == 2858)
    }

    @Test(arguments: ["plain.csv", "packed.csv.gz", "packed.zip"])
    func progressRisesToOneAndCancels(name: String) throws {
        let files = try TempFiles()
        defer { files.remove() }
        var text = "Email\n"
        for index in 0..<40_000 { text += "user\(index)@example.com\n" }
        let url =
            name.hasSuffix(".gz")
            ? try files.gzip(name, text)
            : name.hasSuffix(".zip") ? try files.zip(name, [("crm.csv", text)]) : try files.plain(name, text)
        let reader = try CRMFileReader(url: url, clientID: "acme", country: "NL", today: Self.today)
        var fractions: [Double] = []
        _ = try reader.read(progress: { fractions.append($0) }) { _ in }
        #expect(fractions.count > 1 && fractions == fractions.sorted() && fractions.last == 1)
        var rows = 0
        #expect(throws: CancellationError.self) {
            _ = try reader.read(progress: { if $0 > 0.3 { throw CancellationError() } }) { _ in rows += 1 }
        }
        #expect(rows < 40_000)
    }

    @Test func headerOnlyAndNoIdentifierFilesAreRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let headerOnly = try CRMFileReader(url: try files.plain("h.csv", "Email\r\n"), clientID: "acme", country: "NL")
        #expect(throws: BakeryError.self) { try headerOnly.read { _ in } }
        // Refused at the header: the body is never handed a row.
        let noID = try CRMFileReader(url: try files.plain("n.csv", "name,city\na,b\n"), clientID: "acme", country: "NL")
        var calls = 0
        #expect(throws: BakeryError.self) { try noID.read { _ in calls += 1 } }
        #expect(calls == 0)
    }
}
