import Foundation

/// An advertiser whose DMP syncs cookies with Bakery and whose CRM records Bakery matches.
public struct Client: Hashable, Codable, Sendable, Identifiable {
    /// A short slug (`a-z`, `0-9`, `-`, at most 40 characters) used on the command line and in paths.
    public var id: String
    public var name: String
    /// ISO 3166-1 alpha-2, upper case; the default region for phone numbers and the address form.
    public var country: String
    public var dmp: DMPKind
    /// The `partner` values this client's DMP sends on the sync pixel. Unique across all clients.
    public var partners: [Partner]
    public var createdAt: Date
    /// The id the client's files carry in the drop zone (`onboard/audience={id}/…`); unique across clients.
    public var audience: String?

    public init(
        id: String, name: String, country: String, dmp: DMPKind, partners: [Partner] = [],
        createdAt: Date = Date(), audience: String? = nil
    ) {
        self.id = id
        self.name = name
        self.country = country
        self.dmp = dmp
        self.partners = partners
        self.createdAt = createdAt
        self.audience = audience
    }

    /// Checks the fields a store relies on; the message says which field and what is allowed.
    public func validate() throws(BakeryError) {
        guard Client.isValidID(id) else {
            throw .invalidInput(
                "client id '\(id)' is not valid: use 1-40 characters of a-z, 0-9 and '-', starting with a letter or digit"
            )
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            throw .invalidInput("client name must be 1-200 characters")
        }
        guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw .invalidInput("country '\(country)' is not an ISO 3166-1 alpha-2 code such as NL, SE or FI")
        }
        if let audience, !Client.isValidAudience(audience) {
            throw .invalidInput(
                "audience id '\(audience)' is not valid: use 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-'")
        }
        var seen = Set<String>()
        for partner in partners {
            try partner.validate()
            guard seen.insert(partner.key).inserted else {
                throw .invalidInput("partner key '\(partner.key)' is listed twice")
            }
        }
    }

    /// Audience ids appear as a folder name in the drop zone, so they stay within a portable file-name alphabet.
    public static func isValidAudience(_ audience: String) -> Bool {
        guard (1...64).contains(audience.utf8.count), audience != ".", audience != ".." else { return false }
        return audience.utf8.allSatisfy {
            (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0)
                || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D
        }
    }

    public static func isValidID(_ id: String) -> Bool {
        guard (1...40).contains(id.utf8.count), let first = id.utf8.first, first != UInt8(ascii: "-") else {
            return false
        }
        return id.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}

/// One DMP integration of a client: the `partner` key on the sync pixel and where `read=true` redirects.
public struct Partner: Hashable, Codable, Sendable {
    /// 1-64 characters of `A-Z a-z 0-9 _ . -` (Piano's keys look like `PO_1a2b3c4d`).
    public var key: String
    /// Where `read=true` redirects, with `${DA_ID}` replaced by the URL-encoded DA id.
    public var callbackURL: String?

    public init(key: String, callbackURL: String? = nil) {
        self.key = key
        self.callbackURL = callbackURL
    }

    public func validate() throws(BakeryError) {
        let allowed = key.utf8.allSatisfy {
            (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0)
                || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D
        }
        guard (1...64).contains(key.utf8.count), allowed else {
            throw .invalidInput(
                "partner key '\(key)' is not valid: use 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-'")
        }
        if let url = callbackURL {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                scheme == "https" || scheme == "http", parsed.host != nil
            else {
                throw .invalidInput("callback URL '\(url)' is not an http(s) URL")
            }
        }
    }
}
