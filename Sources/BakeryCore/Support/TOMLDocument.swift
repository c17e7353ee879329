/// The TOML subset Bakery's own files use (console themes and settings, the roles file): `[section]` headers,
/// `key = value` with a quoted string, an integer or a boolean, and `#` comments. Written here rather than pulled in
/// as a dependency because these files need nothing more, and owning the parser lets every error name the file's line.
public struct TOMLDocument: Sendable, Equatable {
    /// A parsed value and the line it was on, so later validation can point at it too.
    public struct Entry: Sendable, Equatable {
        public var value: TOMLValue
        public var line: Int
    }

    /// A `[section]` (the empty name holds the keys before the first header) and its keys in file order.
    public struct Section: Sendable, Equatable {
        public var name: String
        public var line: Int
        public var keys: [(key: String, entry: Entry)]

        public static func == (lhs: Section, rhs: Section) -> Bool {
            lhs.name == rhs.name && lhs.line == rhs.line && lhs.keys.map(\.key) == rhs.keys.map(\.key)
                && lhs.keys.map(\.entry) == rhs.keys.map(\.entry)
        }
    }

    public private(set) var sections: [Section]

    /// Parses `text`; the error names the line and what was expected there.
    public init(parsing text: String) throws(TOMLError) {
        sections = [Section(name: "", line: 0, keys: [])]
        var seenSections: Set<String> = [""]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(in: " \t\r")
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw TOMLError(line: lineNumber, message: "a section header looks like [name]")
                }
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: " \t")
                guard Self.isBareKey(name) else {
                    throw TOMLError(
                        line: lineNumber, message: "section name '\(name)' may only use a-z, 0-9, '-' and '_'")
                }
                guard seenSections.insert(name).inserted else {
                    throw TOMLError(line: lineNumber, message: "section [\(name)] appears twice")
                }
                sections.append(Section(name: name, line: lineNumber, keys: []))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw TOMLError(line: lineNumber, message: "expected `key = value`")
            }
            let key = String(line[..<equals]).trimmingCharacters(in: " \t")
            guard Self.isBareKey(key) else {
                throw TOMLError(line: lineNumber, message: "key '\(key)' may only use a-z, 0-9, '-' and '_'")
            }
            guard !sections[sections.count - 1].keys.contains(where: { $0.key == key }) else {
                throw TOMLError(line: lineNumber, message: "key '\(key)' is set twice in this section")
            }
            let rawValue = String(line[line.index(after: equals)...]).trimmingCharacters(in: " \t")
            let value = try Self.parseValue(rawValue, line: lineNumber, key: key)
            sections[sections.count - 1].keys.append((key, Entry(value: value, line: lineNumber)))
        }
    }

    private static func parseValue(_ text: String, line: Int, key: String) throws(TOMLError) -> TOMLValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            let body = text.dropFirst().dropLast()
            guard !body.contains("\""), !body.contains("\\") else {
                throw TOMLError(line: line, message: "string for '\(key)' may not contain quotes or backslashes")
            }
            return .string(String(body))
        }
        if let number = Int(String(text.filter { $0 != "_" })) { return .integer(number) }
        throw TOMLError(line: line, message: "value for '\(key)' must be a \"string\", an integer, true or false")
    }

    /// Drops a `#` comment, ignoring `#` inside a quoted string.
    private static func stripComment(_ line: String) -> String {
        var inString = false
        for index in line.indices {
            let character = line[index]
            if character == "\"" { inString.toggle() }
            if character == "#", !inString { return String(line[..<index]) }
        }
        return line
    }

    private static func isBareKey(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }
    }
}

/// A TOML value of the kinds theme files use.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)

    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .bool: "a boolean"
        }
    }
}

/// A syntax error at a line of a TOML document.
public struct TOMLError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
