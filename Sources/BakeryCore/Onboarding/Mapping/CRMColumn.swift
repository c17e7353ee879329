/// A column Bakery understands in a CRM onboarding or update file.
///
/// Headers are matched after folding: lower case, with everything but letters and digits
/// removed, so `E-mail`, `e_mail` and ` EMAIL ` are all `email`. Raw values are CSV header names
/// as documented in `docs/formats.md`.
public enum CRMColumn: String, CaseIterable, Sendable, Codable {
    case email = "email"
    case phone = "phone"
    case postalCode = "postal code"
    case houseNumber = "house number"
    case `extension` = "extension"
    case street = "street"
    case apartment = "apartment"
    case personalID = "personal id"
    case emailSHA256 = "email_sha256"
    case phoneSHA256 = "phone_sha256"
    case addressSHA256 = "address_sha256"
    case personalIDSHA256 = "personal_id_sha256"
    case aaid = "aaid"
    case idfa = "idfa"
    case custom = "custom"

    /// Folded header names (see the type's doc) that mean this column.
    public var aliases: [String] {
        switch self {
        case .email:
            ["email", "mail", "emailaddress", "emailadres", "epost", "epostadress", "sahkoposti", "sähköposti"]
        case .phone:
            [
                "phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cellphone", "telephone", "tel",
                "msisdn", "telefoon", "telefoonnummer", "mobiel", "telefon", "telefonnummer", "mobil", "mobilnummer",
                "puhelin",
            ]
        case .postalCode: ["postalcode", "postcode", "zip", "zipcode", "postnummer", "postnr", "postinumero"]
        case .houseNumber: ["housenumber", "huisnummer", "streetnumber", "gatunummer", "husnummer", "talonnumero"]
        case .extension:
            [
                "extension", "housenumberextension", "houseextension", "huisnummertoevoeging", "toevoeging", "addition",
                "housenumberaddition",
            ]
        case .street: ["street", "streetname", "straat", "straatnaam", "gata", "gatuadress", "gatunamn", "katu"]
        case .apartment:
            [
                "apartment", "apartmentnumber", "apt", "flat", "lagenhet", "lägenhet", "lagenhetsnummer",
                "lägenhetsnummer", "asunto",
            ]
        case .personalID:
            ["personalid", "personnummer", "personnr", "personalidentitynumber", "personalnumber", "nationalid"]
        case .emailSHA256: ["emailsha256", "sha256email", "emailhash", "hashedemail"]
        case .phoneSHA256: ["phonesha256", "sha256phone", "phonehash", "hashedphone"]
        case .addressSHA256: ["addresssha256", "sha256address", "addresshash", "hashedaddress"]
        case .personalIDSHA256: ["personalidsha256", "personnummersha256", "sha256personalid", "personalidhash"]
        case .aaid: ["aaid", "gaid", "androidadvertisingid", "googleadvertisingid"]
        case .idfa: ["idfa", "appleadvertisingid", "iosadvertisingid"]
        case .custom: ["custom", "extra", "customid", "recordid", "customerid", "crmid"]
        }
    }

    /// The identifier kind this column yields on its own; nil for address parts (which yield one
    /// address together) and for the record id.
    public var kind: IdentifierKind? {
        switch self {
        case .email, .emailSHA256: .email
        case .phone, .phoneSHA256: .phone
        case .addressSHA256: .address
        case .personalID, .personalIDSHA256: .personalID
        case .aaid: .aaid
        case .idfa: .idfa
        case .postalCode, .houseNumber, .extension, .street, .apartment, .custom: nil
        }
    }

    /// Raw parts of a postal address, hashed together in their canonical form.
    public var isAddressPart: Bool {
        switch self {
        case .postalCode, .houseNumber, .extension, .street, .apartment: true
        default: false
        }
    }

    /// Columns whose values arrive already hashed.
    public var isPrehashed: Bool {
        switch self {
        case .emailSHA256, .phoneSHA256, .addressSHA256, .personalIDSHA256: true
        default: false
        }
    }

    /// Raw personal data columns that only onboarding files carry (address parts are allowed in
    /// update files too, per the onboarding docs).
    var isRawOnboardingOnly: Bool { self == .email || self == .phone || self == .personalID }

    private static let byAlias: [String: CRMColumn] = {
        var table: [String: CRMColumn] = [:]
        for column in allCases {
            for alias in column.aliases { table[alias] = column }
        }
        return table
    }()

    /// The column a header cell names, or nil for a column Bakery does not use.
    public init?(header: String) {
        guard let column = CRMColumn.byAlias[CRMColumn.fold(header)] else { return nil }
        self = column
    }

    /// Lower case, letters and digits only.
    static func fold(_ header: String) -> String {
        String(
            header.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(
                Character.init))
    }
}
