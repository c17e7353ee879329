import Foundation
import Testing

@testable import BakeryCore

/// docs/formats.md is what clients are told; these tests keep its tables equal to the code.
@Suite("docs/formats.md matches the code")
struct FormatsDocTests {
    private static let doc: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/formats.md"), encoding: .utf8)) ?? ""
    }()

    @Test func headerAliasTable() throws {
        for column in CRMColumn.allCases {
            let row = try #require(
                Self.doc.split(separator: "\n").first { $0.hasPrefix("| `\(column.rawValue)` |") },
                "no row for \(column.rawValue)")
            let documented = row.split(separator: "|").last.map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let cleaned = documented?.map { $0.replacingOccurrences(of: " (older files)", with: "") }
            #expect(cleaned == column.aliases, "\(column.rawValue)")
        }
    }

    @Test func rejectionReasonTable() {
        for reason in RejectionReason.allCases {
            #expect(Self.doc.contains("`\(reason.rawValue)`"), "\(reason.rawValue) is not documented")
        }
    }
}
