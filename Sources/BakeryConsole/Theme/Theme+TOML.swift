import BakeryCore
import Foundation

extension Theme {
    /// Loads a theme file. Every problem is reported as a ``ThemeError`` naming the file, the line and the key.
    public static func load(contentsOf url: URL) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try SmallTextFile.read(url.path)
        } catch {
            throw ThemeError(file: url.path, line: nil, key: nil, message: error.reason)
        }
        return try parse(text, file: url.path, defaultName: url.deletingPathExtension().lastPathComponent)
    }

    /// Parses theme text; `file` is only used in error messages.
    public static func parse(_ text: String, file: String, defaultName: String) throws(ThemeError) -> Theme {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ThemeError(file: file, line: error.line, key: nil, message: error.message)
        }
        var theme = Theme(name: defaultName, version: 0)
        var sawVersion = false
        for section in document.sections {
            if section.name.isEmpty {
                for (key, entry) in section.keys {
                    switch key {
                    case "version":
                        guard case .integer(let version) = entry.value else {
                            throw ThemeError(file: file, line: entry.line, key: key, message: "must be an integer")
                        }
                        guard version == Theme.currentVersion else {
                            throw ThemeError(
                                file: file, line: entry.line, key: key,
                                message: "is \(version), but this Bakery reads theme version \(Theme.currentVersion)")
                        }
                        theme.version = version
                        sawVersion = true
                    case "name":
                        theme.name = try string(entry, key: key, file: file)
                    case "ascii":
                        theme.ascii = try bool(entry, key: key, file: file)
                    default:
                        throw ThemeError(
                            file: file, line: entry.line, key: key,
                            message: "is not a theme setting (known: version, name, ascii, and [role] sections)")
                    }
                }
                continue
            }
            guard let role = ThemeRole(rawValue: section.name) else {
                throw ThemeError(
                    file: file, line: section.line, key: section.name,
                    message:
                        "is not a theme role; roles are \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            theme.roles[role] = try styleSpec(section, file: file)
        }
        guard sawVersion else {
            throw ThemeError(
                file: file, line: 1, key: "version", message: "is missing; start the file with `version = 1`")
        }
        return theme
    }

    private static func styleSpec(_ section: TOMLDocument.Section, file: String) throws(ThemeError) -> StyleSpec {
        var spec = StyleSpec()
        for (key, entry) in section.keys {
            let path = "\(section.name).\(key)"
            switch key {
            case "fg", "bg":
                let name = try string(entry, key: path, file: file)
                guard TerminalColor(name: name) != nil else {
                    throw ThemeError(
                        file: file, line: entry.line, key: path,
                        message: "'\(name)' is not a colour; use default, an ANSI name (red, bright-blue, …) or 0-255")
                }
                if key == "fg" { spec.fg = name } else { spec.bg = name }
            case "bold": spec.bold = try bool(entry, key: path, file: file)
            case "reverse": spec.reverse = try bool(entry, key: path, file: file)
            case "underline": spec.underline = try bool(entry, key: path, file: file)
            case "dim": spec.dim = try bool(entry, key: path, file: file)
            default:
                throw ThemeError(
                    file: file, line: entry.line, key: path,
                    message: "is not a style setting (known: fg, bg, bold, reverse, underline, dim)")
            }
        }
        return spec
    }

    private static func string(_ entry: TOMLDocument.Entry, key: String, file: String) throws(ThemeError) -> String {
        guard case .string(let value) = entry.value else {
            throw ThemeError(
                file: file, line: entry.line, key: key, message: "must be a string, not \(entry.value.typeName)")
        }
        return value
    }

    private static func bool(_ entry: TOMLDocument.Entry, key: String, file: String) throws(ThemeError) -> Bool {
        guard case .bool(let value) = entry.value else {
            throw ThemeError(
                file: file, line: entry.line, key: key, message: "must be true or false, not \(entry.value.typeName)")
        }
        return value
    }
}

/// A theme that could not be used, with where the problem is: `themes/x.toml:7: header.fg: 'purple' is not a colour…`.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String?
    public var message: String

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key) " }
        return text + message
    }
}
