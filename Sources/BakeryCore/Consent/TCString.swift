import Foundation

/// The core segment of an IAB TCF v2 TC string (the `gdpr_consent` value, or the TCF EU v2 section of a GPP
/// string), as far as Bakery reads it.
///
/// A TC string is base64url (with or without `=` padding) segments joined by `.`; the first is the core segment,
/// the others (disclosed vendors, allowed vendors, publisher purposes) are ignored without being decoded. The core
/// segment's fields, in order, with their widths in bits (IAB TCF v2.2 "Consent string and vendor list formats"):
///
/// | field | bits | |
/// |---|---|---|
/// | Version | 6 | must be 2 |
/// | Created, LastUpdated | 36 each | deciseconds since 1970-01-01 UTC |
/// | CmpId, CmpVersion | 12 each | |
/// | ConsentScreen | 6 | |
/// | ConsentLanguage | 12 | two letters, 6 bits each, A = 0 … Z = 25 |
/// | VendorListVersion | 12 | |
/// | TcfPolicyVersion | 6 | |
/// | IsServiceSpecific, UseNonStandardTexts | 1 each | |
/// | SpecialFeatureOptIns | 12 | bit field, bit 1 = feature 1 |
/// | PurposesConsent, PurposesLITransparency | 24 each | bit field, bit 1 = purpose 1 |
/// | PurposeOneTreatment | 1 | |
/// | PublisherCC | 12 | two letters |
/// | vendor consents: MaxVendorId | 16 | |
/// | IsRangeEncoding | 1 | |
/// | 0: BitField | MaxVendorId | bit i = vendor i |
/// | 1: NumEntries | 12 | then per entry: IsARange 1, StartOrOnlyVendorId 16, EndVendorId 16 (only when IsARange) |
///
/// What follows (vendor legitimate interests, publisher restrictions) is not read. Range entries must be ascending
/// and apart (each start after the previous end), with 1 ≤ start ≤ end ≤ MaxVendorId; anything else, a version
/// other than 2, a string that ends inside a field, or one longer than ``maximumLength`` is refused.
public struct TCString: Equatable, Sendable {
    /// The longest string decoded, all segments counted (the `gdpr_consent` parameter's limit too).
    public static let maximumLength = 4_096

    public var version: Int
    public var created: Date
    public var lastUpdated: Date
    public var cmpID: Int
    public var cmpVersion: Int
    public var consentScreen: Int
    public var consentLanguage: String
    public var vendorListVersion: Int
    public var tcfPolicyVersion: Int
    public var isServiceSpecific: Bool
    public var useNonStandardTexts: Bool
    public var specialFeatureOptIns: Set<Int>
    public var purposesConsent: Set<Int>
    public var purposesLITransparency: Set<Int>
    public var purposeOneTreatment: Bool
    public var publisherCC: String
    public var maxVendorID: Int
    public var vendorEncoding: VendorEncoding
    /// The vendors with consent, as ascending, disjoint ranges (a bit field is folded into ranges too).
    public var vendorConsents: [ClosedRange<Int>]

    public enum VendorEncoding: Equatable, Sendable {
        case bitField
        case range
    }

    /// Whether vendor `id` has the user's consent.
    public func vendorConsent(_ id: Int) -> Bool {
        // Binary search: ranges are ascending and disjoint.
        var (low, high) = (0, vendorConsents.count)
        while low < high {
            let middle = (low + high) / 2
            if vendorConsents[middle].upperBound < id { low = middle + 1 } else { high = middle }
        }
        return low < vendorConsents.count && vendorConsents[low].contains(id)
    }

    /// Every vendor id with consent, ascending.
    public var consentedVendorIDs: [Int] { vendorConsents.flatMap { Array($0) } }

    public init(decoding text: some StringProtocol) throws(ConsentStringError) {
        guard text.utf8.count <= Self.maximumLength else {
            throw ConsentStringError("TC string is \(text.utf8.count) bytes, longer than \(Self.maximumLength)")
        }
        let core = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var bits = try ConsentBits(Substring(core), what: "TC string")
        version = try bits.int(6, "Version")
        guard version == 2 else {
            throw ConsentStringError("TC string has version \(version); only TCF v2 strings (version 2) are read")
        }
        created = Self.date(try bits.read(36, "Created"))
        lastUpdated = Self.date(try bits.read(36, "LastUpdated"))
        cmpID = try bits.int(12, "CmpId")
        cmpVersion = try bits.int(12, "CmpVersion")
        consentScreen = try bits.int(6, "ConsentScreen")
        consentLanguage = try Self.letters(&bits, "ConsentLanguage")
        vendorListVersion = try bits.int(12, "VendorListVersion")
        tcfPolicyVersion = try bits.int(6, "TcfPolicyVersion")
        isServiceSpecific = try bits.bool("IsServiceSpecific")
        useNonStandardTexts = try bits.bool("UseNonStandardTexts")
        specialFeatureOptIns = try bits.bitField(12, "SpecialFeatureOptIns")
        purposesConsent = try bits.bitField(24, "PurposesConsent")
        purposesLITransparency = try bits.bitField(24, "PurposesLITransparency")
        purposeOneTreatment = try bits.bool("PurposeOneTreatment")
        publisherCC = try Self.letters(&bits, "PublisherCC")
        maxVendorID = try bits.int(16, "MaxVendorId")
        if try bits.bool("IsRangeEncoding") {
            vendorEncoding = .range
            vendorConsents = try Self.rangeEntries(&bits, maxVendorID: maxVendorID)
        } else {
            vendorEncoding = .bitField
            vendorConsents = try Self.bitFieldRanges(&bits, maxVendorID: maxVendorID)
        }
    }

    private static func date(_ deciseconds: UInt64) -> Date {
        Date(timeIntervalSince1970: Double(deciseconds) / 10)
    }

    private static func letters(_ bits: inout ConsentBits, _ field: String) throws(ConsentStringError) -> String {
        let at = bits.position
        let first = try bits.int(6, field)
        let second = try bits.int(6, field)
        guard first < 26, second < 26 else {
            throw ConsentStringError("TC string: \(field) at bit \(at) is not two letters A-Z")
        }
        return String(decoding: [UInt8(65 + first), UInt8(65 + second)], as: UTF8.self)
    }

    private static func bitFieldRanges(_ bits: inout ConsentBits, maxVendorID: Int) throws(ConsentStringError)
        -> [ClosedRange<Int>]
    {
        guard maxVendorID <= bits.remaining else {
            throw ConsentStringError(
                "TC string ends in the vendor consent bit field: MaxVendorId \(maxVendorID) needs \(maxVendorID) bits "
                    + "at bit \(bits.position), the string has \(bits.bitCount)")
        }
        var ranges: [ClosedRange<Int>] = []
        var start: Int?
        for id in stride(from: 1, through: maxVendorID, by: 1) {
            let set = try bits.bool("vendor consent bit field")
            if set, start == nil { start = id }
            if !set, let first = start {
                ranges.append(first...(id - 1))
                start = nil
            }
        }
        if let first = start { ranges.append(first...maxVendorID) }
        return ranges
    }

    private static func rangeEntries(_ bits: inout ConsentBits, maxVendorID: Int) throws(ConsentStringError)
        -> [ClosedRange<Int>]
    {
        let count = try bits.int(12, "NumEntries")
        var ranges: [ClosedRange<Int>] = []
        ranges.reserveCapacity(count)
        for entry in stride(from: 1, through: count, by: 1) {
            let isRange = try bits.bool("IsARange of vendor range entry \(entry)")
            let start = try bits.int(16, "StartOrOnlyVendorId of vendor range entry \(entry)")
            let end = isRange ? try bits.int(16, "EndVendorId of vendor range entry \(entry)") : start
            guard start >= 1, end >= start, end <= maxVendorID else {
                throw ConsentStringError(
                    "TC string: vendor range entry \(entry) (\(start)-\(end)) is not an ascending range "
                        + "within 1-\(maxVendorID) (MaxVendorId)")
            }
            if let previous = ranges.last, start <= previous.upperBound {
                throw ConsentStringError(
                    "TC string: vendor range entry \(entry) (\(start)-\(end)) does not come after entry \(entry - 1) "
                        + "(\(previous.lowerBound)-\(previous.upperBound)): entries must be ascending")
            }
            ranges.append(start...end)
        }
        return ranges
    }
}
