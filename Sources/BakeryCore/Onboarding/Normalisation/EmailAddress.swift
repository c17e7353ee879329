/// E-mail normalisation as the onboarding docs define it: trim, remove every whitespace
/// character, lower-case. What is left must look like an address, or the value is refused
/// rather than hashed: hashing garbage only adds records that can never match.
public enum EmailAddress {
    /// Bytes allowed in a local part besides letters and digits (RFC 5322 `atext`, plus `.`).
    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~.-".utf8)

    /// The normalised address, or nil when it is not an address.
    ///
    /// Valid means: exactly one `@`; a local part of 1–64 bytes of letters, digits and
    /// `!#$%&'*+/=?^_`{|}~.-` with no leading, trailing or doubled dot; a domain of at least two
    /// dot-separated labels of letters, digits and inner hyphens whose last label is not all
    /// digits. Non-ASCII letters are kept as they are (lower-cased), which is what a browser
    /// hashing the same address does.
    public static func normalise(_ raw: String) -> String? {
        if raw.utf8.allSatisfy({ $0 < 0x80 }) { return normaliseASCII(raw) }
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars where !scalar.properties.isWhitespace { scalars.append(scalar) }
        let email = String(scalars).lowercased()
        guard email.utf8.count <= 254 else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isLocalPart(parts[0]), isDomain(parts[1]) else { return nil }
        return email
    }

    /// The same rules on bytes, for the common all-ASCII address: several times faster than
    /// the Unicode path, which matters at a million rows.
    private static func normaliseASCII(_ raw: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var at = -1
        for byte in raw.utf8 {
            switch byte {
            case 0x20, 0x09...0x0D: continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte | 0x20)
            case UInt8(ascii: "@"):
                guard at < 0 else { return nil }
                at = bytes.count
                bytes.append(byte)
            default: bytes.append(byte)
            }
        }
        guard at > 0, bytes.count <= 254, at <= 64 else { return nil }
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        // Local part: allowed bytes, no dot at either end, no two dots in a row.
        guard bytes[0] != dot, bytes[at - 1] != dot else { return nil }
        for index in 0..<at {
            let byte = bytes[index]
            guard isAlphanumeric(byte) || localSymbols.contains(byte) else { return nil }
            if byte == dot, bytes[index + 1] == dot { return nil }
        }
        // Domain: at least two labels of letters, digits and inner hyphens, 1–63 bytes each;
        // the last at least two bytes and not all digits.
        var labelStart = at + 1
        var labels = 0
        var lastLabelAllDigits = true
        for index in (at + 1)...bytes.count {
            if index < bytes.count, bytes[index] != dot {
                guard isAlphanumeric(bytes[index]) || bytes[index] == hyphen else { return nil }
                continue
            }
            let length = index - labelStart
            guard length >= 1, length <= 63, bytes[labelStart] != hyphen, bytes[index - 1] != hyphen else { return nil }
            labels += 1
            lastLabelAllDigits = bytes[labelStart..<index].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            if index == bytes.count, length < 2 { return nil }
            labelStart = index + 1
        }
        guard labels >= 2, !lastLabelAllDigits, bytes.count - at - 1 <= 253 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A: true
        default: false
        }
    }

    private static func isLocalPart(_ local: Substring) -> Bool {
        let utf8 = local.utf8
        guard !utf8.isEmpty, utf8.count <= 64, utf8.first != UInt8(ascii: "."), utf8.last != UInt8(ascii: "."),
            !local.contains("..")
        else { return false }
        return local.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII ? isAlphanumeric(scalar) || localSymbols.contains(UInt8(scalar.value)) : isWordScalar(scalar)
        }
    }

    private static func isDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.utf8.count <= 253 else { return false }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63, label.first != "-", label.last != "-" else { return false }
            let ok = label.unicodeScalars.allSatisfy { $0.isASCII ? isAlphanumeric($0) || $0 == "-" : isWordScalar($0) }
            guard ok else { return false }
        }
        let top = labels[labels.count - 1]
        return top.utf8.count >= 2 && !top.allSatisfy(\.isNumber)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A: true
        default: false
        }
    }

    /// A non-ASCII letter, mark or digit: internationalised addresses, never controls or symbols.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .decimalNumber:
            true
        default: false
        }
    }
}
