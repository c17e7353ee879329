import CPhoneNumber

/// Phone normalisation through libphonenumber: E.164 digits without `+` (country code first,
/// no trunk `0`, no `(0)`), with the client's country as the region for numbers written
/// nationally. Numbers libphonenumber does not consider valid are refused, never guessed.
public enum PhoneNumber {
    /// Longer input is refused before parsing; no real number with formatting comes close.
    static let maxInputBytes = 64

    /// The E.164 digits without `+`, or nil when the number is not valid.
    /// - Parameters:
    ///   - raw: the number as written in the file (spaces, dashes, `(0)`, `00` or `+` are fine).
    ///   - region: ISO 3166-1 alpha-2 country used when the number has no country code.
    public static func e164(_ raw: String, region: String) -> String? {
        e164(raw, region: region, parse: bakery_phone_e164)
    }

    /// True when `region` is a country libphonenumber has numbering rules for.
    public static func isKnownRegion(_ region: String) -> Bool {
        bakery_phone_region_known(region.uppercased()) == 1
    }

    /// The same answer through libphonenumber's full parser only; tests compare it with the fast path.
    static func e164Full(_ raw: String, region: String) -> String? {
        e164(raw, region: region, parse: bakery_phone_e164_full)
    }

    private static func e164(
        _ raw: String, region: String,
        parse: (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, Int) -> Int32
    ) -> String? {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.count <= maxInputBytes, !trimmed.utf8.contains(0) else { return nil }
        let regionCode = region.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } ? region.uppercased() : region
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { out in
            let written = trimmed.withCString { text in
                regionCode.withCString { parse(text, $0, out.baseAddress, out.count) }
            }
            guard written > 0 else { return nil }
            return String(cString: out.baseAddress!)
        }
    }
}
