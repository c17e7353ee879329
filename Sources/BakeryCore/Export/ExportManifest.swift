import Foundation

/// The manifest beside a delta file: what it holds and how to check it.
struct ExportManifest: Encodable {
    static let schemaVersion = 1

    var client: String
    var partners: [String]
    var day: Day
    var rows: Int
    var file: String
    var sha256: String
    var bytes: Int
    var profile: String
    var generatedAt: Date

    enum CodingKeys: String, CodingKey {
        case client, partners, day, rows, file, sha256, bytes, profile, window
        case schemaVersion = "schema_version"
        case generatedAt = "generated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(client, forKey: .client)
        try container.encode(partners, forKey: .partners)
        try container.encode(day, forKey: .day)
        // The syncs the file covers: the whole UTC day, start inclusive, end exclusive.
        try container.encode(
            ["from": ISOTime.string(day.start), "to": ISOTime.string(day.adding(days: 1).start)], forKey: .window)
        try container.encode(rows, forKey: .rows)
        try container.encode(file, forKey: .file)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(profile, forKey: .profile)
        try container.encode(ISOTime.string(generatedAt), forKey: .generatedAt)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
