import Crypto

/// A SHA-256 digest held as 32 bytes (four words), shown as lower-case hex only at the edges.
public struct IdentifierHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline let w0, w1, w2, w3: UInt64

    /// Builds a hash from exactly 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            switch index / 8 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
        }
        (w0, w1, w2, w3) = words
    }

    init(digest: SHA256.Digest) {
        // Four loads, no intermediate array: this runs once per hashed value.
        (w0, w1, w2, w3) = digest.withUnsafeBytes { raw in
            (
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            )
        }
    }

    /// Parses exactly 64 hex characters, either case; nil for anything else. Reads a native string's bytes in
    /// place, without allocating: stored record ids go through here once per record.
    public init?(hex: some StringProtocol) {
        let parsed =
            hex.utf8.withContiguousStorageIfAvailable { IdentifierHash.words(hex: $0) }
            ?? Array(hex.utf8).withUnsafeBufferPointer { IdentifierHash.words(hex: $0) }
        guard let parsed else { return nil }
        (w0, w1, w2, w3) = parsed
    }

    /// Parses exactly 64 lower-case hex characters; nil for anything else, upper case included. Not generic, so
    /// a caller in another module reads a native string's bytes in place, one pass per id (record ids as stored).
    public init?(lowercaseHex hex: String) {
        var hex = hex
        guard let parsed = hex.withUTF8({ IdentifierHash.words(hex: $0, upperCase: false) }) else { return nil }
        (w0, w1, w2, w3) = parsed
    }

    private static func words(hex utf8: UnsafeBufferPointer<UInt8>, upperCase: Bool = true)
        -> (UInt64, UInt64, UInt64, UInt64)?
    {
        guard utf8.count == 64 else { return nil }
        var result: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for part in 0..<4 {
            var word: UInt64 = 0
            for index in 16 * part..<16 * (part + 1) {
                guard let nibble = nibble(utf8[index], upperCase: upperCase) else { return nil }
                word = word << 4 | UInt64(nibble)
            }
            switch part {
            case 0: result.0 = word
            case 1: result.1 = word
            case 2: result.2 = word
            default: result.3 = word
            }
        }
        return result
    }

    /// SHA-256 of the UTF-8 bytes of an already normalised value.
    public static func sha256(of normalised: String) -> IdentifierHash {
        // Hash the string's own UTF-8 storage when it is contiguous (native strings are), without a copy.
        if let hash = normalised.utf8.withContiguousStorageIfAvailable({ IdentifierHash(digest: SHA256.hash(data: UnsafeRawBufferPointer($0))) }) {
            return hash
        }
        return IdentifierHash(digest: SHA256.hash(data: Array(normalised.utf8)))
    }

    /// The 32 bytes, most significant first.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return out
    }

    /// Reads 32 bytes from `source`.
    @inlinable
    public init(loading source: UnsafeRawPointer) {
        w0 = UInt64(bigEndian: source.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(bigEndian: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(bigEndian: source.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(bigEndian: source.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Writes the 32 bytes to `destination` (which must have room for them).
    @inlinable
    public func store(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
        destination.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
        destination.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
        destination.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Calls `body` with the 32 bytes, most significant first, without allocating.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return try Swift.withUnsafeBytes(of: &words) { try body($0) }
    }

    /// Lower-case hex, 64 characters.
    public var hex: String {
        // Written straight into the string's storage: one allocation, as record ids are made once per row.
        String(unsafeUninitializedCapacity: 64) { out in
            var position = 0
            for word in [w0, w1, w2, w3] {
                for shift in stride(from: 60, through: 0, by: -4) {
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt64(shift)) & 0x0F
                    out[position] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                    position += 1
                }
            }
            return 64
        }
    }

    public var description: String { hex }

    public static func < (lhs: IdentifierHash, rhs: IdentifierHash) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }

    private static func nibble(_ c: UInt8, upperCase: Bool) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46 where upperCase: c - 0x41 + 10
        default: nil
        }
    }
}

extension IdentifierHash: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let hash = IdentifierHash(hex: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected 64 hex characters"))
        }
        self = hash
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
