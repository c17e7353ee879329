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
