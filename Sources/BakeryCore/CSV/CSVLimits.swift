/// The bounds that keep CSV reading in constant memory whatever the input.
///
/// A record that breaks one of them is reported as a rejected row and reading goes on;
/// only the header row is fatal, because without it no row can be understood.
public struct CSVLimits: Sendable, Equatable {
    /// The longest field, in bytes of UTF-8. 64 KiB is far above any real identifier or
    /// address part, yet small enough that one runaway quoted field cannot grow memory.
    public var maxFieldBytes: Int
    /// The most columns a header may have; also caps a record's stored fields.
    public var maxColumns: Int
    /// Bytes read from the file (or produced by decompression) per step.
    public var chunkBytes: Int

    public init(maxFieldBytes: Int = 64 * 1024, maxColumns: Int = 256, chunkBytes: Int = 64 * 1024) {
        self.maxFieldBytes = maxFieldBytes
        self.maxColumns = maxColumns
        self.chunkBytes = chunkBytes
    }

    /// 64 KiB per field, 256 columns, 64 KiB chunks.
    public static let standard = CSVLimits()
}

/// Why one CSV record could not be used. Raw values are snake_case reason codes for reports.
public enum CSVProblem: String, Sendable, Codable, CaseIterable {
    /// A field is not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// The record has more or fewer fields than the header.
    case wrongFieldCount = "wrong_field_count"
    /// A field is longer than `CSVLimits.maxFieldBytes`.
    case fieldTooLong = "field_too_long"
    /// Text after a closing quote, or a quote that is never closed before the end of the file.
    case invalidQuoting = "invalid_quoting"
}
