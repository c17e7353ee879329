import Foundation

/// Writes TCF v2 TC strings for tests, field by field as the IAB layout gives them (independently of
/// `TCString`'s decoder). The defaults make a valid string that grants Purpose 1 and nothing else; a test sets
/// what it needs, including what makes a string malformed (a version other than 2, raw range entries).
public struct TCStringBuilder: Sendable {
    public var version = 2
    /// Deciseconds since 1970, as the string stores them.
    public var created: UInt64 = 17_000_000_000
    public var lastUpdated: UInt64 = 17_000_000_000
    public var cmpID = 7
    public var cmpVersion = 1
    public var consentScreen = 1
    public var consentLanguage = "EN"
    public var vendorListVersion = 48
    public var tcfPolicyVersion = 4
    public var isServiceSpecific = true
    public var useNonStandardTexts = false
    public var specialFeatureOptIns: Set<Int> = []
    public var purposesConsent: Set<Int> = [1]
    public var purposesLITransparency: Set<Int> = []
    public var purposeOneTreatment = false
    public var publisherCC = "NL"
    public var vendorConsents: Set<Int> = []
    /// Written as is when set; otherwise the largest vendor with consent (0 for none).
    public var maxVendorID: Int?
    public var rangeEncoding = false
    /// Range entries written as they are, in place of those made from `vendorConsents` (equal ends: a single id).
    public var rawRangeEntries: [(start: Int, end: Int)]?
    /// Ends the string with `=` padding to a multiple of four characters.
    public var padded = false

    public init(vendors: Set<Int> = [], purposes: Set<Int> = [1], rangeEncoding: Bool = false) {
        vendorConsents = vendors
        purposesConsent = purposes
        self.rangeEncoding = rangeEncoding
    }

    /// The core segment as a string of `0` and `1`, vendor legitimate interests (none) and publisher restrictions
    /// (none) included.
    public var bits: String {
        var out = ConsentBitWriter()
        out.write(version, 6)
        out.write(created, 36)
        out.write(lastUpdated, 36)
        out.write(cmpID, 12)
        out.write(cmpVersion, 12)
        out.write(consentScreen, 6)
        out.letters(consentLanguage)
        out.write(vendorListVersion, 12)
        out.write(tcfPolicyVersion, 6)
        out.write(isServiceSpecific)
        out.write(useNonStandardTexts)
        out.bitField(specialFeatureOptIns, 12)
        out.bitField(purposesConsent, 24)
        out.bitField(purposesLITransparency, 24)
        out.write(purposeOneTreatment)
        out.letters(publisherCC)
        let max = maxVendorID ?? vendorConsents.max() ?? 0
        out.write(max, 16)
        out.write(rangeEncoding)
        if rangeEncoding {
            let entries = rawRangeEntries ?? Self.runs(of: vendorConsents)
            out.write(entries.count, 12)
            for entry in entries {
                out.write(entry.start != entry.end)
                out.write(entry.start, 16)
                if entry.start != entry.end { out.write(entry.end, 16) }
            }
        } else {
            out.bitField(vendorConsents, max)
        }
        out.write(0, 16)  // vendor legitimate interests: MaxVendorId 0…
        out.write(false)  // …as a bit field
        out.write(0, 12)  // no publisher restrictions
        return out.bits
    }

    /// The TC string.
    public var encoded: String { ConsentBitWriter.base64url(bits, padded: padded) }

    /// Ascending ids as runs of consecutive ids.
    static func runs(of ids: Set<Int>) -> [(start: Int, end: Int)] {
        var runs: [(start: Int, end: Int)] = []
        for id in ids.sorted() {
            if let last = runs.last, last.end == id - 1 { runs[runs.count - 1].end = id } else { runs.append((id, id)) }
        }
        return runs
    }
}

/// Writes GPP strings for tests: a header of type and version with the section ids in Fibonacci range encoding,
/// then the sections.
public struct GPPStringBuilder: Sendable {
    public var type = 3
    public var version = 1
    /// Section id and its encoded value, in the order written.
    public var sections: [(id: Int, value: String)]

    public init(sections: [(id: Int, value: String)]) { self.sections = sections }

    public var headerBits: String {
        var out = ConsentBitWriter()
        out.write(type, 6)
        out.write(version, 6)
        return out.bits + Self.fibonacciRange(sections.map(\.id))
    }

    public var encoded: String {
        ([ConsentBitWriter.base64url(headerBits, padded: false)] + sections.map(\.value)).joined(separator: "~")
    }

    /// `n` ≥ 1 as a Fibonacci code: Zeckendorf terms (1, 2, 3, 5, …) least significant first, then a closing 1.
    public static func fibonacci(_ n: Int) -> String {
        precondition(n >= 1)
        var terms = [1, 2]
        while terms[terms.count - 1] + terms[terms.count - 2] <= n { terms.append(terms[terms.count - 1] + terms[terms.count - 2]) }
        var rest = n
        var code = [Character](repeating: "0", count: terms.count)
        for index in terms.indices.reversed() where terms[index] <= rest {
            code[index] = "1"
            rest -= terms[index]
        }
        while code.last == "0" { code.removeLast() }
        return String(code) + "1"
    }

    /// Ascending ids as a Fibonacci range: NumEntries (12 bits), then per run IsARange and the differences
    /// from the id before.
    public static func fibonacciRange(_ ids: [Int]) -> String {
        let runs = TCStringBuilder.runs(of: Set(ids))
        var out = ConsentBitWriter()
        out.write(runs.count, 12)
        var bits = out.bits
        var last = 0
        for run in runs {
            bits += run.start == run.end ? "0" : "1"
            bits += fibonacci(run.start - last)
            if run.start != run.end { bits += fibonacci(run.end - run.start) }
            last = run.end
        }
        return bits
    }
}

/// Bits as a string of `0` and `1`, most significant first.
public struct ConsentBitWriter: Sendable {
    public private(set) var bits = ""

    public init() {}

    public mutating func write(_ value: some BinaryInteger, _ width: Int) {
        precondition(value >= 0 && (width == 64 || UInt64(value) < 1 << UInt64(width)), "\(value) in \(width) bits")
        for shift in stride(from: width - 1, through: 0, by: -1) { bits += (UInt64(value) >> UInt64(shift)) & 1 == 1 ? "1" : "0" }
    }

    public mutating func write(_ flag: Bool) { bits += flag ? "1" : "0" }

    public mutating func bitField(_ members: Set<Int>, _ width: Int) {
        for index in stride(from: 1, through: width, by: 1) { write(members.contains(index)) }
    }

    public mutating func letters(_ text: String) {
        for scalar in text.unicodeScalars { write(Int(scalar.value) - 65, 6) }
    }

    /// `0`/`1` bits as base64url: zero-filled to a whole byte and then to a whole character, optionally padded
    /// with `=` to a multiple of four characters.
    public static func base64url(_ bits: String, padded: Bool) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var filled = Array(bits)
        filled += repeatElement("0", count: (8 - filled.count % 8) % 8)
        filled += repeatElement("0", count: (6 - filled.count % 6) % 6)
        var text = ""
        for start in stride(from: 0, to: filled.count, by: 6) {
            text.append(alphabet[Int(String(filled[start..<start + 6]), radix: 2)!])
        }
        if padded { text += String(repeating: "=", count: (4 - text.count % 4) % 4) }
        return text
    }
}
