/// The consent parameters of one pixel request, checked for form: `gdpr`, `gdpr_consent`, `gpp`, `gpp_sid`.
/// Absent and empty are the same. The strings are not decoded here: ``ConsentRule`` does that.
public struct ConsentSignals: Equatable, Sendable {
    /// `gdpr=1` (true), `gdpr=0` (false) or absent (nil).
    public var gdpr: Bool?
    public var gdprConsent: String?
    public var gpp: String?
    /// The GPP sections that apply to the request, as sent (nil when absent).
    public var gppSID: [Int]?

    /// A parameter that is not of its form; the message is the 400 response body.
    public struct Invalid: Error, Equatable, Sendable {
        public let message: String

        public init(message: String) { self.message = message }
    }

    public init(gdpr: String? = nil, gdprConsent: String? = nil, gpp: String? = nil, gppSID: String? = nil)
        throws(Invalid)
    {
        switch gdpr {
        case nil, "": self.gdpr = nil
        case "0": self.gdpr = false
        case "1": self.gdpr = true
        default: throw Invalid(message: "gdpr must be 0 or 1")
        }
        self.gdprConsent = gdprConsent.flatMap { $0.isEmpty ? nil : $0 }
        self.gpp = gpp.flatMap { $0.isEmpty ? nil : $0 }
        if let gppSID, !gppSID.isEmpty { self.gppSID = try Self.sectionIDs(gppSID) } else { self.gppSID = nil }
    }

    /// `2` or `2,6`: section ids separated by commas, each from -1 to 255 (the GPP CMP API sends -1 for "no
    /// section applies").
    private static func sectionIDs(_ text: String) throws(Invalid) -> [Int] {
        var ids: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = Int(part), (-1...255).contains(id) else {
                throw Invalid(message: "gpp_sid must be section ids separated by commas, each from -1 to 255")
            }
            ids.append(id)
        }
        return ids
    }
}
