import Foundation

/// Bakery's own first-party browser id (the "DA id"): 32 lower-case hex digits, the minting second (Unix time, 8
/// digits) followed by 96 random bits.
///
/// The format is fixed so a malformed or tampered cookie is recognised and replaced rather than stored. The time
/// prefix puts new ids at the end of every index over DA ids (a new browser's pairs and graph edges append to
/// their B-trees instead of landing on a random page); 96 bits from the system's cryptographically secure
/// generator keep an id unguessable. The prefix tells whoever sees the cookie when Bakery first saw the browser.
public enum DAID {
    /// A new id minted at `now`.
    public static func mint(at now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let seconds = UInt32(clamping: Int64(now.timeIntervalSince1970.rounded(.down)))
        var out = [UInt8](repeating: 0, count: 32)
        put(UInt64(seconds), digits: 8, into: &out, at: 0)
        put(generator.next() as UInt64, digits: 16, into: &out, at: 8)
        put(generator.next() as UInt64, digits: 8, into: &out, at: 24)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// The low `digits` hex digits of `value`, most significant first.
    private static func put(_ value: UInt64, digits: Int, into out: inout [UInt8], at start: Int) {
        var value = value
        for position in stride(from: start + digits - 1, through: start, by: -1) {
            out[position] = hex[Int(value & 0xF)]
            value >>= 4
        }
    }

    /// True for exactly 32 lower-case hex digits (ids minted before the time prefix are valid too).
    public static func isValid(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
