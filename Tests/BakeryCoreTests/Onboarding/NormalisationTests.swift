import Testing

@testable import BakeryCore

@Suite("Identifier normalisation")
struct NormalisationTests {
    @Test func publishedEmailVector() {
        let normalised = EmailAddress.normalise("John.Sam@MAIL.COM")
        #expect(normalised == "john.sam@mail.com")
        #expect(
            IdentifierHash.sha256(of: normalised!).hex
                == "a7df77a9db89b44110c704b680a24978579a3069b419db95cbda84541094adba")
    }

    @Test(arguments: [
        (" John.Sam@MAIL.COM\t", "john.sam@mail.com"),
        ("john . sam @ mail.com", "john.sam@mail.com"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("JÖRG@Exämple.DE", "jörg@exämple.de"),
        ("x@xn--p1ai.xn--p1ai", "x@xn--p1ai.xn--p1ai"),
        ("john\u{00A0}sam@mail.com", "johnsam@mail.com"),
    ])
    func validEmails(raw: String, expected: String) {
        #expect(EmailAddress.normalise(raw) == expected)
    }

    @Test(arguments: [
        "", "   ", "john", "john@", "@mail.com", "john@mail", "john@@mail.com", "john@sam@mail.com",
        ".john@mail.com", "john.@mail.com", "jo..hn@mail.com", "john@mail..com", "john@-mail.com",
        "john@mail-.com", "john@mail.c", "john@1.2.3.4", "\"john\"@mail.com", "john(x)@mail.com",
        "john,sam@mail.com", "john@mail.com;", "jo\u{0007}hn@mail.com", "john@mail_x.com", "jo\u{200B}hn@mail.com",
        String(repeating: "a", count: 65) + "@mail.com",
    ])
    func invalidEmails(raw: String) {
        #expect(EmailAddress.normalise(raw) == nil)
    }

    @Test(arguments: [
        ("+31614123456", "NL", "31614123456"),
        ("0031201234567", "NL", "31201234567"),
        ("0612345678", "NL", "31612345678"),
        ("+31 (0)6 1234 5678", "NL", "31612345678"),
        ("06-12345678", "NL", "31612345678"),
        ("+46 70 123 45 67", "NL", "46701234567"),
        ("070-123 45 67", "SE", "46701234567"),
        ("+46701234567", "SE", "46701234567"),
        ("040 123 45 67", "FI", "358401234567"),
        ("+358 40 1234567", "SE", "358401234567"),
        ("0612345678", "nl", "31612345678"),
        // libphonenumber drops a trunk 0 written after the country code, as in "+31 (0)6".
        ("+310612345678", "NL", "31612345678"),
    ])
    func validPhones(raw: String, region: String, expected: String) {
        #expect(PhoneNumber.e164(raw, region: region) == expected)
    }

    @Test(arguments: [
        ("12", "NL"), ("", "NL"), ("   ", "NL"), ("abc", "NL"), ("+31 6 1234", "NL"), ("+3161234567890123", "NL"),
        ("0612345678", "XX"), ("+999 123456789", "NL"), ("0612345678 ext. 12", "NL"),
        (String(repeating: "6", count: 80), "NL"),
    ])
    func invalidPhones(raw: String, region: String) {
        #expect(PhoneNumber.e164(raw, region: region) == nil)
    }

    /// The fast path must never disagree with the full parser: random digits after many
    /// international and national prefixes, plausible mobile and fixed-line numbers (mostly
    /// valid) and nonsense (mostly invalid), each also with random spaces and dashes.
    @Test func phoneFastPathMatchesFullParser() {
        var generator = SystemRandomNumberGenerator()
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
        }
        var inputs: [String] = []
        let prefixes = [
            "+31", "+46", "+358", "0031", "0046", "00358", "+310", "+3106", "+4607", "+32", "+1", "+316", "+3120",
            "+4670", "+468", "+35840", "+3589", "00316", "004670", "0035840", "06", "020", "010", "070", "08",
            "040", "09", "0", "1", "316", "4670",
        ]
        for prefix in prefixes {
            for _ in 0..<200 {
                let number = prefix + digits(Int.random(in: 5...10, using: &generator))
                inputs.append(number)
                var spaced = ""
                for character in number {
                    spaced.append(character)
                    if Int.random(in: 0..<4, using: &generator) == 0 { spaced.append(Bool.random() ? " " : "-") }
                }
                inputs.append(spaced)
            }
        }
        var valid = 0
        for region in ["NL", "SE", "FI", "US"] {
            for input in inputs {
                let fast = PhoneNumber.e164(input, region: region)
                #expect(fast == PhoneNumber.e164Full(input, region: region), "\(input) in \(region)")
                if fast != nil { valid += 1 }
            }
        }
        #expect(valid > 5000, "the generator should produce many valid numbers, got \(valid)")
    }

    @Test(arguments: [
        (PostalAddressParts(postalCode: "1234 ab", houseNumber: "12", extension: "a"), "NL", "NL|1234AB|12|A"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "012"), "NL", "NL|1234AB|12|"),
        (PostalAddressParts(postalCode: " nl-1234ab ", houseNumber: "12-a"), "NL", "NL|1234AB|12|A"),
        (
            PostalAddressParts(postalCode: "1234AB", houseNumber: "12 bis", street: "Dorpsstraat"), "NL",
            "NL|1234AB|12|BIS"
        ),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "12", extension: "-2 "), "NL", "NL|1234AB|12|2"),
        (
            PostalAddressParts(
                postalCode: "114 53", houseNumber: "12", extension: "b", street: " storgatan  ", apartment: "lgh 1102"),
            "SE", "SE|11453|STORGATAN|12B|1102"
        ),
        (
            PostalAddressParts(postalCode: "11453", houseNumber: "3", street: "Östra Långgatan"), "SE",
            "SE|11453|ÖSTRA LÅNGGATAN|3|"
        ),
        (
            PostalAddressParts(postalCode: "11453", houseNumber: "3", street: "O\u{0308}stra La\u{030A}nggatan"), "SE",
            "SE|11453|ÖSTRA LÅNGGATAN|3|"
        ),
        (
            PostalAddressParts(postalCode: "00100", houseNumber: "12", street: "Mannerheimintie", apartment: "A 5"),
            "FI", "FI|00100|MANNERHEIMINTIE|12|A5"
        ),
    ])
    func validAddresses(parts: PostalAddressParts, country: String, expected: String) {
        #expect(PostalAddress.canonical(parts, country: country) == expected)
    }

    @Test func addressNamesTheWrongPart() {
        let nl = { (parts: PostalAddressParts) in PostalAddress.validated(parts, country: "NL") }
        #expect(nl(PostalAddressParts(postalCode: "1234AB", houseNumber: "x")) == .failure(.init(column: .houseNumber)))
        #expect(
            nl(PostalAddressParts(postalCode: "1234AB", houseNumber: "1", extension: "?"))
                == .failure(.init(column: .extension)))
        // NL ignores the street, so nothing in it can make a Dutch address invalid.
        #expect(
            nl(PostalAddressParts(postalCode: "1234AB", houseNumber: "1", street: "a|b")) == .success("NL|1234AB|1|"))
        let se = PostalAddress.validated(
            PostalAddressParts(postalCode: "11453", houseNumber: "1", street: "S", apartment: "#"), country: "SE")
        #expect(se == .failure(.init(column: .apartment)))
    }

    @Test(arguments: [
        (PostalAddressParts(postalCode: "0234AB", houseNumber: "12"), "NL"),
        (PostalAddressParts(postalCode: "1234A", houseNumber: "12"), "NL"),
        (PostalAddressParts(postalCode: "1234ÅB", houseNumber: "12"), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: ""), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "0"), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "A12"), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "12A", extension: "B"), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "12", extension: "a|b"), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "12", extension: "ÄÖ"), "NL"),
        (PostalAddressParts(postalCode: "", houseNumber: "12"), "NL"),
        (PostalAddressParts(postalCode: "1234AB", houseNumber: "12"), "DE"),
        (PostalAddressParts(postalCode: "11453", houseNumber: "12"), "SE"),
        (PostalAddressParts(postalCode: "01453", houseNumber: "12", street: "Storgatan"), "SE"),
        (PostalAddressParts(postalCode: "1145", houseNumber: "12", street: "Storgatan"), "SE"),
        (PostalAddressParts(postalCode: "11453", houseNumber: "12", street: "Stor|gatan"), "SE"),
        (PostalAddressParts(postalCode: "11453", houseNumber: "12", street: "Stor\u{0001}gatan"), "SE"),
        (PostalAddressParts(postalCode: "0010", houseNumber: "12", street: "Katu"), "FI"),
    ])
    func invalidAddresses(parts: PostalAddressParts, country: String) {
        #expect(PostalAddress.canonical(parts, country: country) == nil)
    }

    static let today = Day(iso: "2026-11-29")!

    @Test(arguments: [
        ("811218-9876", "198112189876"),
        ("8112189876", "198112189876"),
        ("198112189876", "198112189876"),
        ("19811218-9876", "198112189876"),
        (" 811218 - 9876 ", "198112189876"),
        ("121212-1212", "201212121212"),
        ("121212+1212", "191212121212"),
        ("701063-2391", "197010632391"),
    ])
    func validPersonnummer(raw: String, expected: String) {
        #expect(Personnummer.normalise(raw, today: Self.today) == expected)
    }

    @Test(arguments: [
        "", "811218-9875", "811318-9876", "811232-9876", "8112189", "81121898765", "811218/9876", "811218--9876",
        "81121-89876", "abcdef-ghij", "291218-9876", "20291218-9876", "18001218-9876", "010229-1234",
        // Found by scripts/fuzz: a separator in a value shorter than five characters trapped (index out of bounds).
        "+31", "-", "+", "1-2", "12+4",
    ])
    func invalidPersonnummer(raw: String) {
        #expect(Personnummer.normalise(raw, today: Self.today) == nil)
    }

    @Test func personnummerCenturyFollowsToday() {
        // Born 29 Nov 1926 or 2026? On 2026-11-29 a "-" number from today is a newborn.
        let newborn = luhnComplete("261129001")
        #expect(Personnummer.normalise(newborn, today: Self.today) == "20" + newborn)
        let tomorrow = luhnComplete("261130001")
        #expect(Personnummer.normalise(tomorrow, today: Self.today) == "19" + tomorrow)
    }

    @Test func personnummerLeapDays() {
        let leap = luhnComplete("000229123")
        #expect(Personnummer.normalise(leap, today: Self.today) == "20" + leap)
        let notLeap = luhnComplete("010229123")
        #expect(Personnummer.normalise(notLeap, today: Self.today) == nil)
    }

    private func luhnComplete(_ nine: String) -> String {
        let digits = nine.compactMap(\.wholeNumberValue)
        for check in 0...9 where Personnummer.luhnValid(digits + [check]) { return nine + String(check) }
        fatalError("no check digit")
    }

    @Test func deviceIDs() {
        let upper = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
        #expect(DeviceID.normalise(" \(upper) ") == upper.lowercased())
        #expect(DeviceID.normalise("00000000-0000-0000-0000-000000000000") == nil)
        #expect(DeviceID.normalise("6D92078A82464BA4AE5B76104861E7DC") == nil)
        #expect(DeviceID.normalise("6D92078A-8246-4BA4-AE5B-76104861E7DG") == nil)
        #expect(DeviceID.normalise("{6D92078A-8246-4BA4-AE5B-76104861E7DC}") == nil)
    }

    @Test func prehashedValues() {
        let hex = "A7DF77A9DB89B44110C704B680A24978579A3069B419DB95CBDA84541094ADBA"
        #expect(PrehashedValue.parse(" \(hex) ")?.hex == hex.lowercased())
        #expect(PrehashedValue.parse(String(hex.dropLast())) == nil)
        #expect(PrehashedValue.parse(hex + "0") == nil)
        #expect(PrehashedValue.parse(String(hex.dropLast()) + "g") == nil)
        #expect(PrehashedValue.parse("john.sam@mail.com") == nil)
        #expect(PrehashedValue.parse("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == nil)
    }

    @Test func customRecordIDs() {
        #expect(CustomRecordID.normalise("  CRM-0042 ") == "CRM-0042")
        #expect(CustomRecordID.normalise("klant ø 7") == "klant ø 7")
        #expect(CustomRecordID.normalise("a\tb") == nil)
        #expect(CustomRecordID.normalise("a\u{200B}b") == nil)
        #expect(CustomRecordID.normalise(String(repeating: "x", count: 129)) == nil)
        #expect(CustomRecordID.normalise(String(repeating: "x", count: 128)) != nil)
    }
}
