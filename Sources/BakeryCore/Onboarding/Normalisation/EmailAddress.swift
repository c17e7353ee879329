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
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars where !scalar.properties.isWhitespace { scalars.append(scalar) }
        let email = String(scalars).lowercased()
        guard email.utf8.count <= 254 else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isLocalPart(parts[0]), isDomain(parts[1]) else { return nil }
        return email
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
