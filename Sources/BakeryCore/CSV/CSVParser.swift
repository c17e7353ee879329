/// An incremental RFC 4180 parser: feed it bytes in chunks of any size, it hands back whole
/// records. It keeps only the current record (bounded by `CSVLimits`), so memory stays
/// constant however large the input.
///
/// Accepted beyond the RFC: LF and lone CR line ends as well as CRLF, a UTF-8 byte order mark
/// at the very start, and a stray `"` inside an unquoted field (kept literally, because such
/// exports are common and the value is validated later anyway).
struct CSVParser {
    /// A record as parsed: its fields, or the first problem found in it.
    enum Parsed {
        case fields([String], line: Int)
        case problem(CSVProblem, column: Int?, fieldCount: Int, line: Int)
    }

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    private let limits: CSVLimits
    /// Fields every record must have: set from the first record, the header.
    /// Fields beyond this many are counted but not stored.
    private(set) var expectedFields: Int?

    private var state = State.fieldStart
    private var bytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    private var fieldCount = 0
    private var fieldStart = 0
    private var problem: (CSVProblem, Int?)?
    private var line = 1
    private var recordLine = 1
    private var skipLF = false
    private var prefix: [UInt8] = []
    private var startChecked = false
    private(set) var blankLines = 0

    init(limits: CSVLimits) {
        self.limits = limits
        bytes.reserveCapacity(4096)
        fieldEnds.reserveCapacity(32)
    }

    /// Parses `chunk`, calling `emit` for every record it completes.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, emit: (Parsed) throws -> Void) throws {
        if !startChecked {
            // The byte order mark may straddle chunks: hold back the first three bytes.
            prefix.append(contentsOf: chunk)
            guard prefix.count >= 3 else { return }
            try flushPrefix(emit: emit)
            return
        }
        try parse(
            UnsafeBufferPointer(start: chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), count: chunk.count),
            emit: emit)
    }

    /// Ends the input: emits the last record when the file does not end with a line break.
    mutating func finish(emit: (Parsed) throws -> Void) throws {
        if !startChecked { try flushPrefix(emit: emit) }
        switch state {
        case .quoted:
            // An unclosed quote swallowed the rest of the file; there is no safe way to resync.
            setProblem(.invalidQuoting, column: fieldCount)
            try endRecord(emit: emit)
        case .fieldStart where fieldCount == 0:
            return
        default:
            try endRecord(emit: emit)
        }
    }

    private mutating func flushPrefix(emit: (Parsed) throws -> Void) throws {
        startChecked = true
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = prefix.starts(with: bom) ? 3 : 0
        let rest = Array(prefix[start...])
        prefix = []
        try rest.withUnsafeBufferPointer { try parse($0, emit: emit) }
    }

    private mutating func parse(_ input: UnsafeBufferPointer<UInt8>, emit: (Parsed) throws -> Void) throws {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = input.count
        var index = 0
        if skipLF, count > 0 {
            skipLF = false
            if input[0] == lf { index = 1 }
        }
        while index < count {
            switch state {
            case .fieldStart, .unquoted:
                if state == .fieldStart, input[index] == quote {
                    state = .quoted
                    index += 1
                    continue
                }
                // Scan the plain run in one go; this loop is where the time goes.
                let runStart = index
                while index < count {
                    let byte = input[index]
                    if byte == comma || byte == cr || byte == lf { break }
                    index += 1
                }
                append(input, runStart, index)
                guard index < count else {
                    state = .unquoted
                    return
                }
                let byte = input[index]
                index += 1
                if byte == comma {
                    endField()
                    state = .fieldStart
                } else {
                    let wasEmptyStart = state == .fieldStart && index - 1 == runStart
                    line += 1
                    if byte == cr {
                        if index < count { if input[index] == lf { index += 1 } } else { skipLF = true }
                    }
                    if wasEmptyStart, fieldCount == 0 {
                        blankLines += 1
                        recordLine = line
                    } else {
                        try endRecord(emit: emit)
                    }
                }
            case .quoted:
                let runStart = index
                while index < count, input[index] != quote {
                    if input[index] == lf { line += 1 }
                    index += 1
                }
                append(input, runStart, index)
                if index < count {
                    state = .quoteInQuoted
                    index += 1
                }
            case .quoteInQuoted:
                let byte = input[index]
                if byte == quote {
                    append(input, index, index + 1)
                    state = .quoted
                    index += 1
                } else if byte == comma || byte == cr || byte == lf {
                    // The plain-run case above ends the field or record.
                    state = .unquoted
                } else {
                    setProblem(.invalidQuoting, column: fieldCount)
                    state = .unquoted
                }
            }
        }
    }

    private mutating func append(_ input: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) {
        guard from < to, problem == nil else { return }
        if bytes.count - fieldStart + (to - from) > limits.maxFieldBytes {
            setProblem(.fieldTooLong, column: fieldCount)
            return
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[from..<to]))
    }

    private mutating func endField() {
        fieldCount += 1
        guard problem == nil else { return }
        if fieldCount > (expectedFields ?? limits.maxColumns) {
            setProblem(.wrongFieldCount, column: nil)
            return
        }
        fieldEnds.append(bytes.count)
        fieldStart = bytes.count
    }

    private mutating func setProblem(_ found: CSVProblem, column: Int?) {
        if problem == nil { problem = (found, column) }
        // Nothing more of this record is kept, so a bad record costs no memory.
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStart = 0
    }

    private mutating func endRecord(emit: (Parsed) throws -> Void) throws {
        endField()
        let parsed: Parsed
        if let (found, column) = problem {
            parsed = .problem(found, column: column, fieldCount: fieldCount, line: recordLine)
        } else if let expected = expectedFields, fieldCount != expected {
            parsed = .problem(.wrongFieldCount, column: nil, fieldCount: fieldCount, line: recordLine)
        } else {
            parsed = decodeFields()
        }
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStart = 0
        fieldCount = 0
        problem = nil
        state = .fieldStart
        recordLine = line
        if expectedFields == nil, case .fields(let header, _) = parsed { expectedFields = header.count }
        try emit(parsed)
    }

    private func decodeFields() -> Parsed {
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        return bytes.withUnsafeBufferPointer { all in
            var start = 0
            for (column, end) in fieldEnds.enumerated() {
                guard let text = String(validating: UnsafeBufferPointer(rebasing: all[start..<end]), as: UTF8.self)
                else {
                    return .problem(.invalidUTF8, column: column, fieldCount: fieldEnds.count, line: recordLine)
                }
                fields.append(text)
                start = end
            }
            return .fields(fields, line: recordLine)
        }
    }
}
