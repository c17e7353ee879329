/// An IAB Global Privacy Platform string (the `gpp` parameter), as far as Bakery reads it: the header and the
/// TCF EU v2 section.
///
/// A GPP string is `~`-separated parts: the header, then one section per section id the header lists, in the
/// header's order. The header is base64url bits:
///
/// | field | bits | |
/// |---|---|---|
/// | Type | 6 | must be 3 (a GPP header) |
/// | Version | 6 | must be 1 |
/// | SectionIds | variable | Fibonacci range: NumEntries 12, then per entry IsARange 1 and one (single id) or two (first, last) Fibonacci-coded integers |
///
/// Each Fibonacci-coded integer is the difference from the id before it (0 for the first); a code is its Zeckendorf
/// terms least significant first (1, 2, 3, 5, 8, …), ended by a second consecutive 1 bit. Ids therefore ascend.
/// Bits after the last entry are padding.
///
/// The TCF EU v2 section (id 2) is a TC string and is decoded as one (``TCString``). Every other section is skipped
/// by position without being decoded; a string whose number of sections differs from the header's count of ids is
/// refused, as is one longer than ``maximumLength``.
public struct GPPString: Equatable, Sendable {
    /// The longest string decoded (the `gpp` parameter's limit too).
    public static let maximumLength = 8_192
    /// The TCF EU v2 section id.
    public static let tcfEUv2 = 2

    public var version: Int
    /// The header's section ids, ascending.
    public var sectionIDs: [Int]
    /// The TCF EU v2 section, when the header lists id 2.
    public var tcfEUv2: TCString?

    public init(decoding text: some StringProtocol) throws(ConsentStringError) {
        guard text.utf8.count <= Self.maximumLength else {
            throw ConsentStringError("GPP string is \(text.utf8.count) bytes, longer than \(Self.maximumLength)")
        }
        let parts = text.split(separator: "~", omittingEmptySubsequences: false)
        var bits = try ConsentBits(Substring(parts[0]), what: "GPP header")
        let type = try bits.int(6, "Type")
        guard type == 3 else { throw ConsentStringError("GPP header has type \(type); a GPP header has type 3") }
        version = try bits.int(6, "Version")
        guard version == 1 else {
            throw ConsentStringError("GPP header has version \(version); only version 1 is read")
        }
        sectionIDs = try Self.sectionIDs(&bits, sections: parts.count - 1)
        guard sectionIDs.count == parts.count - 1 else {
            throw ConsentStringError(
                "GPP string lists \(sectionIDs.count) section ids in its header but has \(parts.count - 1) sections")
        }
        tcfEUv2 = nil
        if let index = sectionIDs.firstIndex(of: Self.tcfEUv2) {
            do {
                tcfEUv2 = try TCString(decoding: parts[index + 1])
            } catch {
                throw ConsentStringError("GPP section \(index + 1) (TCF EU v2): \(error.message)")
            }
        }
    }

    /// The Fibonacci range of section ids. A header cannot list more ids than the string has sections, so the
    /// decoding stops there: a range of a million ids costs nothing.
    private static func sectionIDs(_ bits: inout ConsentBits, sections: Int) throws(ConsentStringError) -> [Int] {
        let count = try bits.int(12, "NumEntries of SectionIds")
        var ids: [Int] = []
        var last = 0
        for entry in stride(from: 1, through: count, by: 1) {
            let isRange = try bits.bool("IsARange of section id entry \(entry)")
            let first = try last + bits.fibonacci("section id entry \(entry)")
            last = first
            if isRange { last = try first + bits.fibonacci("end of section id entry \(entry)") }
            guard ids.count + (last - first + 1) <= sections else {
                throw ConsentStringError(
                    "GPP header lists more section ids than the string's \(sections) sections (at entry \(entry))")
            }
            ids.append(contentsOf: first...last)
        }
        return ids
    }
}
