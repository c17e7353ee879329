/// Advertising device ids (AAID, IDFA): UUIDs, lower-cased before hashing so that the same
/// device always gives the same hash whatever case the file used.
public enum DeviceID {
    /// The lower-case UUID (`8-4-4-4-12` hex digits), or nil when it is not one. The all-zero
    /// UUID is refused: it is what a device with ad tracking limited reports, so it would match
    /// every such device with every such record.
    public static func normalise(_ raw: String) -> String? {
        let text = raw.trimmingWhitespace().lowercased()
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        var sawNonZero = false
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "0"): break
            case UInt8(ascii: "1")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): sawNonZero = true
            default: return nil
            }
        }
        return sawNonZero ? text : nil
    }
}

/// Values that arrive already hashed (`email_sha256` and the like).
public enum PrehashedValue {
    /// SHA-256 of the empty string: what a client's export produces for an empty cell. Accepting
    /// it would tie every such record to every other one.
    static let emptyInputHash = IdentifierHash(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")!

    /// The hash for exactly 64 hex characters (either case, surrounding whitespace ignored);
    /// nil for anything else, and for the hash of an empty value.
    public static func parse(_ raw: String) -> IdentifierHash? {
        guard let hash = IdentifierHash(hex: raw.trimmingWhitespace()), hash != emptyInputHash else { return nil }
        return hash
    }
}

/// The client's own record id (`custom`, formerly `extra`): exported back to the DMP as is, so it
/// is only trimmed and bounded, never rewritten.
public enum CustomRecordID {
    /// The longest id accepted, in UTF-8 bytes.
    public static let maxBytes = 128

    /// The trimmed id, or nil when it is empty, longer than `maxBytes`, or contains control,
    /// format or line-separator characters, which would corrupt the CSV exports it ends up in.
    public static func normalise(_ raw: String) -> String? {
        let id = raw.trimmingWhitespace()
        guard !id.isEmpty, id.utf8.count <= maxBytes, !id.containsControlCharacters else { return nil }
        return id
    }
}
