/// Reads the bits of a base64url text (RFC 4648 §5) as the IAB consent strings use it: each character is six
/// bits, most significant first, and fields run across character boundaries. Trailing `=` padding is accepted
/// (at most two, and only when it makes the length a multiple of four), as is its absence.
struct ConsentBits {
    private let sextets: [UInt8]
    /// The next bit to read, counted from 0.
    private(set) var position = 0
    /// What the text is, for error messages: "TC string", "GPP header".
    let what: String

    init(_ text: Substring, what: String) throws(ConsentStringError) {
        self.what = what
        var body = text.utf8[...]
        var padding = 0
        while body.last == UInt8(ascii: "=") {
            body = body.dropLast()
            padding += 1
        }
        if padding > 0, padding > 2 || (body.count + padding) % 4 != 0 {
            throw ConsentStringError("\(what): wrong '=' padding (\(padding) after \(body.count) characters)")
        }
        guard !body.isEmpty else { throw ConsentStringError("\(what) is empty") }
        var sextets: [UInt8] = []
        sextets.reserveCapacity(body.count)
        for (offset, byte) in body.enumerated() {
            guard let value = Self.value(of: byte) else {
                let shown = byte < 0x80 && byte >= 0x20 ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
                throw ConsentStringError("\(what): character \(offset + 1) (\(shown)) is not base64url")
            }
            sextets.append(value)
        }
        self.sextets = sextets
    }

    var bitCount: Int { sextets.count * 6 }
    var remaining: Int { bitCount - position }

    /// The next `width` bits (at most 64) as an unsigned number; `field` names them in the error when the text
    /// ends first.
    mutating func read(_ width: Int, _ field: String) throws(ConsentStringError) -> UInt64 {
        precondition((0...64).contains(width))
        guard width <= remaining else {
            throw ConsentStringError(
                "\(what) ends in \(field): it needs \(width) bits at bit \(position), the string has \(bitCount)")
        }
        var value: UInt64 = 0
        for _ in 0..<width {
            let sextet = sextets[position / 6]
            let bit = (sextet >> (5 - UInt8(position % 6))) & 1
            value = value << 1 | UInt64(bit)
            position += 1
        }
        return value
    }

    mutating func int(_ width: Int, _ field: String) throws(ConsentStringError) -> Int {
        Int(try read(width, field))
    }

    mutating func bool(_ field: String) throws(ConsentStringError) -> Bool {
        try read(1, field) == 1
    }

    /// A bit field of `width` bits: bit i (from 1) set means i is in the set.
    mutating func bitField(_ width: Int, _ field: String) throws(ConsentStringError) -> Set<Int> {
        guard width <= remaining else {
            throw ConsentStringError(
                "\(what) ends in \(field): it needs \(width) bits at bit \(position), the string has \(bitCount)")
        }
        var members = Set<Int>()
        for index in 0..<width {
            if try read(1, field) == 1 { members.insert(index + 1) }
        }
        return members
    }

    /// A Fibonacci-coded positive integer (Zeckendorf code, least significant term first, ended by the second of
    /// two consecutive 1 bits), as the GPP header's section ids use. At most `maximumBits` bits, terminator
    /// included: that bounds the value (24 bits reach 75,024).
    mutating func fibonacci(_ field: String, maximumBits: Int = 24) throws(ConsentStringError) -> Int {
        var value = 0
        var (term, next) = (1, 2)
        var previousBit: UInt64 = 0
        let start = position
        while true {
            guard position - start < maximumBits else {
                throw ConsentStringError("\(what): \(field) at bit \(start) is longer than \(maximumBits) bits")
            }
            let bit = try read(1, field)
            if bit == 1, previousBit == 1 { return value }
            if bit == 1 { value += term }
            previousBit = bit
            (term, next) = (next, term + next)
        }
    }

    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
