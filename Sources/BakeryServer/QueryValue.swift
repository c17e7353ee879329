/// Checks a query value against the endpoints' rules: present, not empty, within its length limit, and free
/// of control characters. The error text is the 400 response body.
public enum QueryValue {
    /// The 400 response body.
    public struct Invalid: Error, Equatable, Sendable {
        public let message: String
    }

    /// A required value.
    static func required(_ value: Substring?, name: String, limit: Int) throws(Invalid) -> String {
        guard let value, !value.isEmpty else { throw Invalid(message: "missing \(name)") }
        return try checked(value, name: name, limit: limit)
    }

    /// An optional value: absent or empty is nil.
    static func optional(_ value: Substring?, name: String, limit: Int) throws(Invalid) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return try checked(value, name: name, limit: limit)
    }

    private static func checked(_ value: Substring, name: String, limit: Int) throws(Invalid) -> String {
        guard value.utf8.count <= limit else { throw Invalid(message: "\(name) longer than \(limit) bytes") }
        guard !containsControl(value.utf8) else { throw Invalid(message: "\(name) contains control characters") }
        return String(value)
    }

    /// C0 controls and DEL as bytes, C1 controls (U+0080-U+009F) as their UTF-8 form `C2 80`-`C2 9F`. A byte scan:
    /// this runs on every request, where Unicode property lookups showed in profiles.
    static func containsControl(_ bytes: Substring.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
            previous = byte
        }
        return false
    }

    /// `true`/`1` or `false`/`0`; absent is `false`.
    static func flag(_ value: Substring?, name: String) throws(Invalid) -> Bool {
        switch value?.lowercased() {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        default: throw Invalid(message: "\(name) must be true or false")
        }
    }
}
