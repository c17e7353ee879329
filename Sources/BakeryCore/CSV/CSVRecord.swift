/// One data record of a CSV file, numbered for reports.
///
/// `row` counts data records: 1 is the first record after the header, every record counts
/// (rejected ones too, and a quoted field spanning several lines counts once), and blank
/// lines do not count. `line` is the physical line the record starts on (the header is on
/// line 1), for an operator who opens the file in an editor.
public struct CSVRecord: Sendable, Equatable {
    public var row: Int
    public var line: Int
    public var fields: [String]

    public init(row: Int, line: Int, fields: [String]) {
        self.row = row
        self.line = line
        self.fields = fields
    }
}

/// A record that could not be read; it carries no field values, only where and why.
public struct CSVRejectedRecord: Sendable, Equatable {
    public var row: Int
    public var line: Int
    public var problem: CSVProblem
    /// The 0-based column of the offending field, when one field is to blame.
    public var column: Int?
    /// How many fields the record had (for `wrong_field_count`).
    public var fieldCount: Int

    public init(row: Int, line: Int, problem: CSVProblem, column: Int?, fieldCount: Int) {
        self.row = row
        self.line = line
        self.problem = problem
        self.column = column
        self.fieldCount = fieldCount
    }
}

/// What reading a CSV file yields for each data record.
public enum CSVEvent: Sendable, Equatable {
    case record(CSVRecord)
    case rejected(CSVRejectedRecord)
}

/// Totals of one read, for progress and the onboarding summary.
public struct CSVReadSummary: Sendable, Equatable {
    /// Data records, good and rejected (see `CSVRecord.row`).
    public var rows: Int = 0
    public var rejected: Int = 0
    /// Empty lines, which are skipped and not numbered.
    public var blankLines: Int = 0
    /// Bytes of CSV text after decompression.
    public var bytes: Int = 0

    public init() {}
}
