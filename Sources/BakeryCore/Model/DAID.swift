/// Bakery's own first-party browser id (the "DA id"): 128 random bits written as 32 lower-case hex digits.
///
/// The format is fixed so a malformed or tampered cookie is recognised and replaced rather than stored.
public enum DAID {
    /// A new id from the system's cryptographically secure generator.
    public static func mint() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [generator.next() as UInt64, generator.next() as UInt64] {
            var word = word
            for _ in 0..<16 {
                out.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for exactly 32 lower-case hex digits.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
