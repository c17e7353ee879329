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
