/// How the columns of one CRM file map to `CRMColumn`s, decided from the header row alone so a
/// file that cannot work is refused before any row is read.
///
/// Rules (each refusal is a `BakeryError.invalidInput` naming the fix):
/// - Columns Bakery does not know are ignored and listed in `ignoredColumns` for the report.
/// - Two columns that map to the same `CRMColumn` (`Email` and `e-mail`) are refused: which one
///   to trust cannot be guessed.
/// - At least one identifier column is required: email, phone, personal id, a `*_sha256`
///   column, aaid, idfa, or an address (postal code and house number, plus street in SE/FI).
/// - One source per identifier kind: a raw column and its `*_sha256` twin are refused together.
/// - `address_sha256` belongs to update files only: it is refused next to raw `Email`, `Phone`
///   or personal id columns (an onboarding file), and next to raw address parts. Bakery hashes
///   raw onboarding addresses itself so every address hash has its documented canonical form.
/// - Raw address parts need a country with a canonical form (NL, SE, FI); a raw phone column
///   needs a country libphonenumber knows, since national numbers are read in it.
public struct CRMHeaderMapping: Sendable, Equatable {
    /// Each used column's index in the row and what it holds, in file order.
    public let columns: [(index: Int, column: CRMColumn)]
    /// The header names as written, for reports.
    public let headerNames: [String]
    /// Header names that map to nothing and are ignored.
    public let ignoredColumns: [String]

    public static func == (lhs: CRMHeaderMapping, rhs: CRMHeaderMapping) -> Bool {
        lhs.headerNames == rhs.headerNames && lhs.ignoredColumns == rhs.ignoredColumns
            && lhs.columns.map(\.index) == rhs.columns.map(\.index)
            && lhs.columns.map(\.column) == rhs.columns.map(\.column)
    }

    /// Maps a header row.
    /// - Parameters:
    ///   - header: the header cells as read.
    ///   - country: the client's ISO 3166-1 alpha-2 country, which decides the address form.
    public init(header: [String], country: String) throws {
        var columns: [(index: Int, column: CRMColumn)] = []
        var ignored: [String] = []
        var seen: [CRMColumn: String] = [:]
        for (index, name) in header.enumerated() {
            guard let column = CRMColumn(header: name) else {
                ignored.append(name)
                continue
            }
            if let first = seen[column] {
                throw BakeryError.invalidInput(
                    "columns '\(first)' and '\(name)' both mean '\(column.rawValue)'; keep one of them and re-upload")
            }
            seen[column] = name
            columns.append((index, column))
        }
        let used = Set(seen.keys)
        try Self.check(used, country: country.uppercased())
        self.columns = columns
        self.headerNames = header
        self.ignoredColumns = ignored
    }

    /// The index of `column` in a row, if the file has it.
    public func index(of column: CRMColumn) -> Int? {
        columns.first { $0.column == column }?.index
    }

    /// The header name of the field at `index`, for reports.
    public func name(at index: Int) -> String? {
        headerNames.indices.contains(index) ? headerNames[index] : nil
    }

    /// True when the file carries raw address parts to hash.
    public var hasAddressParts: Bool { columns.contains { $0.column.isAddressPart } }

    private static func check(_ used: Set<CRMColumn>, country: String) throws {
        let addressParts = used.filter(\.isAddressPart)
        let needsStreet = country == "SE" || country == "FI"
        if !addressParts.isEmpty {
            guard PostalAddress.supportedCountries.contains(country) else {
                throw BakeryError.invalidInput(
                    "the file has address columns but addresses can only be normalised for NL, SE and FI clients, not \(country); remove the address columns"
                )
            }
            var required: [CRMColumn] = [.postalCode, .houseNumber]
            if needsStreet { required.append(.street) }
            let missing = required.filter { !used.contains($0) }
            guard missing.isEmpty else {
                throw BakeryError.invalidInput(
                    "an address needs the columns \(required.map { "'\($0.rawValue)'" }.joined(separator: ", ")); missing \(missing.map { "'\($0.rawValue)'" }.joined(separator: ", "))"
                )
            }
        }
        if used.contains(.phone), !PhoneNumber.isKnownRegion(country) {
            throw BakeryError.invalidInput(
                "the file has a phone column but the client's country '\(country)' is not one phone numbers can be read in; fix the client's country"
            )
        }
        if used.contains(.addressSHA256) {
            if !addressParts.isEmpty {
                throw BakeryError.invalidInput(
                    "the file has both 'address_sha256' and raw address columns; send one or the other")
            }
            if used.contains(where: \.isRawOnboardingOnly) {
                throw BakeryError.invalidInput(
                    "'address_sha256' is accepted in update files only, not next to raw Email, Phone or personal id columns; send 'postal code', 'house number' and 'extension' instead and Bakery hashes them"
                )
            }
        }
        for (raw, hashed) in [
            (CRMColumn.email, CRMColumn.emailSHA256), (.phone, .phoneSHA256), (.personalID, .personalIDSHA256),
        ]
        where used.contains(raw) && used.contains(hashed) {
            throw BakeryError.invalidInput(
                "the file has both '\(raw.rawValue)' and '\(hashed.rawValue)'; send one source per identifier")
        }
        let hasIdentifier = used.contains { $0.kind != nil } || !addressParts.isEmpty
        guard hasIdentifier else {
            let accepted = CRMColumn.allCases.filter { $0 != .custom }.map(\.rawValue).joined(separator: ", ")
            throw BakeryError.invalidInput(
                "the header has no identifier column; accepted identifier headers are \(accepted) (case-insensitive; aliases in docs/formats.md), plus optional 'custom' for your own record id"
            )
        }
    }
}
