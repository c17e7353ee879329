/// How a DMP wants its delta file: record layout, header names, file naming. Every profile is gzip compressed.
public struct ExportProfile: Hashable, Sendable {
    public enum Layout: String, Sendable { case csv, ndjson }

    public var name: String
    public var layout: Layout
    /// For CSV: the field delimiter.
    public var delimiter: Character
    /// Column names (CSV header) or keys (NDJSON) for the cookie id and the record id.
    public var cookieField: String
    public var recordField: String

    /// `cookie_id,record_id` CSV, gzip: what every DMP kind gets unless it has its own profile.
    public static let standard = ExportProfile(
        name: "csv", layout: .csv, delimiter: ",", cookieField: "cookie_id", recordField: "record_id")
    /// One JSON object per pair and line: `{"cookie_id":"…","record_id":"…"}`.
    public static let ndjson = ExportProfile(
        name: "ndjson", layout: .ndjson, delimiter: ",", cookieField: "cookie_id", recordField: "record_id")

    /// The profile a DMP kind receives.
    public static func forKind(_ kind: DMPKind) -> ExportProfile {
        switch kind {
        case .permutive, .snowplow: .ndjson
        default: .standard
        }
    }

    /// Where below a delivery location a DMP collects its files: `exports/piano/` for Piano (which collects every day
    /// from a bucket such as `da-production-transfer-CLIENTNAME` under that prefix), `exports/{kind}/` for the others.
    public static func deliveryPrefix(for kind: DMPKind) -> String {
        "exports/\(kind.rawValue)/"
    }

    /// The data file's name for a client and day.
    public func fileName(client: String, day: Day) -> String {
        "\(client)_\(day).\(layout == .csv ? "csv" : "ndjson").gz"
    }

    /// The header line, if the layout has one.
    var header: String? { layout == .csv ? "\(cookieField)\(delimiter)\(recordField)\n" : nil }

    /// One pair as a line.
    func line(cookieID: String, recordID: String) -> String {
        switch layout {
        case .csv: "\(Self.csvField(cookieID, delimiter))\(delimiter)\(Self.csvField(recordID, delimiter))\n"
        case .ndjson:
            "{\"\(cookieField)\":\(Self.jsonString(cookieID)),\"\(recordField)\":\(Self.jsonString(recordID))}\n"
        }
    }

    static func csvField(_ value: String, _ delimiter: Character) -> String {
        guard value.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
