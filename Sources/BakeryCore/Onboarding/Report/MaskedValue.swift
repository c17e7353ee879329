/// Masks a rejected value for reports so an operator can recognise the problem (`j***@mail.com`,
/// `+316****5678`) without the report holding the personal data itself. No mask ever shows
/// more than a few characters of a value, and short values show nothing at all.
public enum MaskedValue {
    /// The longest raw value worth masking; longer ones are summarised by their length only.
    static let maxInput = 256

    /// The masked form of `raw`, as it appeared in the column of `column`'s kind.
    public static func mask(_ raw: String, column: CRMColumn) -> String {
        let value = raw.trimmingWhitespace()
        if value.isEmpty { return "" }
        if value.utf8.count > maxInput { return "(\(value.utf8.count) bytes)" }
        switch column {
        case .email: return email(value)
        case .phone: return phone(value)
        default: return generic(value)
        }
    }

    /// First character of the local part (only when it has at least three), then the domain:
    /// the domain is what tells an operator "typo in gmail.con".
    static func email(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return generic(value) }
        let local = value[..<at]
        let domain = value[value.index(after: at)...]
        let head = local.count >= 3 ? String(local.prefix(1)) : ""
        return head + "***@" + String(domain.prefix(64))
    }

    /// A `+` when written, the first three and last four digits when there are at least ten,
    /// only the last two for six to nine digits, nothing for fewer.
    static func phone(_ value: String) -> String {
        let digits = value.filter { $0.isASCII && $0.isNumber }
        let plus = value.hasPrefix("+") ? "+" : ""
        switch digits.count {
        case 10...: return plus + digits.prefix(3) + "****" + digits.suffix(4)
        case 6...9: return plus + "****" + digits.suffix(2)
        default: return "****"
        }
    }

    /// Everything else: the first character of values of eight or more characters, the last two
    /// of values of twelve or more, stars between.
    static func generic(_ value: String) -> String {
        switch value.count {
        case 12...: return String(value.prefix(1)) + "***" + String(value.suffix(2))
        case 8...11: return String(value.prefix(1)) + "***"
        default: return "***"
        }
    }
}
