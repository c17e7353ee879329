import BakeryCore
import Foundation

/// One JSON document on stdout, with ISO 8601 UTC times, as the CLI contract says. Keys are snake_case through
/// each type's `CodingKeys`: a key strategy would also rewrite dictionary keys such as partner keys (`PO_1a2b`).
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISOTime.string(date))
        }
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
