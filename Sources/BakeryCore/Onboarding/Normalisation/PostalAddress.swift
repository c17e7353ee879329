import Foundation

/// The raw address columns of one CRM row, as written in the file.
public struct PostalAddressParts: Sendable, Equatable {
    public var postalCode: String
    public var houseNumber: String
    public var `extension`: String
    public var street: String
    public var apartment: String

    public init(
        postalCode: String = "", houseNumber: String = "", extension: String = "", street: String = "",
        apartment: String = ""
    ) {
        self.postalCode = postalCode
        self.houseNumber = houseNumber
        self.extension = `extension`
        self.street = street
        self.apartment = apartment
    }

    /// True when every part is empty or whitespace: the row simply has no address.
    public var isEmpty: Bool {
        [postalCode, houseNumber, `extension`, street, apartment].allSatisfy(\.isBlank)
    }
}

/// The one canonical string per country that a postal address is hashed as. Addresses are never
/// accepted pre-hashed in onboarding files, so both sides of a match use exactly this form:
///
/// - `NL|1234AB|12|A` — postal code (4 digits, the first not 0, and 2 letters, upper case, no
///   space), house number (digits, no leading zeros), extension (upper-case letters and digits,
///   possibly empty: `NL|1234AB|12|`). The street is not part of it: in the Netherlands postal
///   code and number identify the address.
/// - `SE|11453|STORGATAN|12B|1102` — postnummer (5 digits, first not 0), street, number with any
///   extension letters appended, apartment (lägenhetsnummer; a leading `LGH` is dropped).
/// - `FI|00100|MANNERHEIMINTIE|12|A5` — postinumero (5 digits), street, number with extension,
///   apartment (staircase and flat, e.g. `A 5` → `A5`).
///
/// Common to all: each part is trimmed; a postal code may start with the country prefix (`NL-`);
/// a house number written with its extension (`12A`, `12-a`, `12 A`) is split when the
/// extension column is empty; the street is Unicode NFC, upper case, with single spaces. Every
/// part but the street admits only letters and digits, and the street refuses `|` and control
/// characters, so parts can never run into each other.
public enum PostalAddress {
    /// Countries with a canonical form.
    public static let supportedCountries: Set<String> = ["NL", "SE", "FI"]

    /// The canonical string, or nil when the parts do not make a valid address for `country`.
    public static func canonical(_ parts: PostalAddressParts, country: String) -> String? {
        try? validated(parts, country: country).get()
    }

    /// Why an address was refused: the column of the first part that is wrong.
    public struct InvalidPart: Error, Equatable, Sendable {
        public let column: CRMColumn
    }

    /// The canonical string, or the first part (in canonical order) that makes it invalid.
    public static func validated(_ parts: PostalAddressParts, country: String) -> Result<String, InvalidPart> {
        let country = country.uppercased()
        let fail = { (column: CRMColumn) in Result<String, InvalidPart>.failure(InvalidPart(column: column)) }
        guard supportedCountries.contains(country) else { return fail(.postalCode) }
        guard let postalCode = postalCode(parts.postalCode, country: country) else { return fail(.postalCode) }
        guard let (number, numberSuffix) = houseNumber(parts.houseNumber) else { return fail(.houseNumber) }
        guard let suffix = code(parts.extension, maxLength: 8),
            // An extension both inside the number and in its own column is ambiguous.
            numberSuffix.isEmpty || suffix.isEmpty
        else { return fail(.extension) }
        let ext = numberSuffix.isEmpty ? suffix : numberSuffix
        if country == "NL" { return .success("NL|\(postalCode)|\(number)|\(ext)") }

        guard let street = street(parts.street) else { return fail(.street) }
        var apartmentText = parts.apartment.uppercased().filter { !($0.isWhitespace || $0 == ".") }
        if country == "SE", apartmentText.hasPrefix("LGH") { apartmentText.removeFirst(3) }
        guard let apartment = code(apartmentText, maxLength: 8) else { return fail(.apartment) }
        return .success("\(country)|\(postalCode)|\(street)|\(number)\(ext)|\(apartment)")
    }

    private static func postalCode(_ raw: String, country: String) -> String? {
        var code = raw.uppercased().filter { !$0.isWhitespace }
        if code.hasPrefix(country + "-") { code.removeFirst(3) }
        let bytes = Array(code.utf8)
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        switch country {
        case "NL":
            guard bytes.count == 6, bytes[0] != 0x30, bytes[0..<4].allSatisfy(isDigit),
                bytes[4...].allSatisfy({ $0 >= 0x41 && $0 <= 0x5A })
            else { return nil }
        case "SE":
            guard bytes.count == 5, bytes[0] != 0x30, bytes.allSatisfy(isDigit) else { return nil }
        default:
            guard bytes.count == 5, bytes.allSatisfy(isDigit) else { return nil }
        }
        return code
    }

    /// Splits `12`, `012`, `12A`, `12-a`, `12 bis` into the number without leading zeros and an
    /// upper-case suffix; nil when it does not start with a number from 1 to 99999.
    private static func houseNumber(_ raw: String) -> (String, String)? {
        let text = raw.trimmingWhitespace().uppercased()
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let value = Int(digits), value >= 1, value <= 99_999 else {
            return nil
        }
        let rest = text.dropFirst(digits.count).drop { $0 == "-" || $0 == "/" || $0.isWhitespace }
        guard let suffix = code(String(rest), maxLength: 8) else { return nil }
        return (String(value), suffix)
    }

    /// Upper-case ASCII letters and digits with spaces, dashes and dots removed; nil for anything
    /// else or when longer than `maxLength`. Empty input gives "".
    private static func code(_ raw: String, maxLength: Int) -> String? {
        let kept = raw.uppercased().filter { !($0.isWhitespace || $0 == "-" || $0 == ".") }
        guard kept.count <= maxLength, kept.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return nil
        }
        return kept
    }

    private static func street(_ raw: String) -> String? {
        let words = raw.precomposedStringWithCanonicalMapping.uppercased().split(whereSeparator: \.isWhitespace)
        let street = words.joined(separator: " ")
        guard !street.isEmpty, street.utf8.count <= 200, !street.contains("|"), !street.containsControlCharacters
        else { return nil }
        return street
    }
}
