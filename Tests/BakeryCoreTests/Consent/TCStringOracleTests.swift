import BakeryCore
import BakeryTesting
import Foundation
import Testing

/// Bakery's decoder against an independent one: PyPI's iab-tcf, driven by `Oracle/tcf_oracle.py` (scripts/setup.sh
/// installs it; without it these tests fail, they do not skip). Both directions: strings the script's own encoder
/// writes, and strings `TCStringBuilder` writes, each read by iab-tcf and by `TCString`.
@Suite("TC string against iab-tcf")
struct TCStringOracleTests {
    @Test func randomStringsEncodedInPythonDecodeAsIabTcfReadsThem() throws {
        let lines = try Self.oracle(["generate", "20261126", "300"])
        #expect(lines.count == 300)
        for line in lines {
            try Self.compare(TCString(decoding: line.string), line.reading, line.string)
        }
        // The random sets cover what they are meant to.
        #expect(lines.contains { $0.reading.rangeEncoding } && lines.contains { !$0.reading.rangeEncoding })
        #expect(lines.contains { $0.reading.maxVendorID > 3_000 } && lines.contains { $0.reading.vendors.isEmpty })
        #expect(lines.contains { $0.string.contains(".") } && lines.contains { $0.string.hasSuffix("=") })
    }

    @Test func randomStringsEncodedHereAreReadAlikeByIabTcf() throws {
        var random = SeededRandom(seed: 12)
        var strings: [String] = []
        for _ in 0..<200 {
            var builder = TCStringBuilder()
            builder.created = UInt64.random(in: 15_000_000_000...20_000_000_000, using: &random)
            builder.lastUpdated = UInt64.random(in: 15_000_000_000...20_000_000_000, using: &random)
            builder.cmpID = Int.random(in: 0...4_095, using: &random)
            builder.cmpVersion = Int.random(in: 0...4_095, using: &random)
            builder.consentScreen = Int.random(in: 0...63, using: &random)
            builder.consentLanguage = ["EN", "NL", "SV", "FI", "ZZ"].randomElement(using: &random)!
            builder.vendorListVersion = Int.random(in: 0...4_095, using: &random)
            builder.isServiceSpecific = random.chance(0.5)
            builder.useNonStandardTexts = random.chance(0.5)
            builder.purposeOneTreatment = random.chance(0.5)
            builder.specialFeatureOptIns = Set((1...12).filter { _ in random.chance(0.3) })
            builder.purposesConsent = Set((1...24).filter { _ in random.chance(0.6) })
            builder.purposesLITransparency = Set((1...24).filter { _ in random.chance(0.3) })
            builder.publisherCC = ["NL", "SE", "FI", "AA"].randomElement(using: &random)!
            let maxVendor = [0, 1, Int.random(in: 2...1_500, using: &random)].randomElement(using: &random)!
            let density = Double.random(in: 0...1, using: &random)
            builder.vendorConsents = Set((0..<maxVendor).map { $0 + 1 }.filter { _ in random.chance(density) })
            builder.maxVendorID = random.chance(0.5) ? maxVendor : nil
            builder.rangeEncoding = random.chance(0.5)
            builder.padded = random.chance(0.3)
            strings.append(builder.encoded)
        }
        let lines = try Self.oracle(["decode"], input: strings.joined(separator: "\n") + "\n")
        #expect(lines.map(\.string) == strings)
        for line in lines {
            try Self.compare(TCString(decoding: line.string), line.reading, line.string)
        }
    }

    // MARK: The oracle

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Oracle/tcf_oracle.py")

    /// What iab-tcf reads, in the script's JSON.
    struct Reading: Decodable {
        let version, createdSeconds, lastUpdatedSeconds, cmpID, cmpVersion, consentScreen: Int
        let consentLanguage: String
        let vendorListVersion, tcfPolicyVersion: Int
        let isServiceSpecific, useNonStandardStacks: Bool
        let specialFeatures, purposesConsent, purposesLI: [Int]
        let purposeOneTreatment: Bool
        let publisherCC: String
        let maxVendorID: Int
        let rangeEncoding: Bool
        let vendors: [Int]

        enum CodingKeys: String, CodingKey {
            case version, createdSeconds = "created_seconds", lastUpdatedSeconds = "last_updated_seconds"
            case cmpID = "cmp_id", cmpVersion = "cmp_version", consentScreen = "consent_screen"
            case consentLanguage = "consent_language", vendorListVersion = "vendor_list_version"
            case tcfPolicyVersion = "tcf_policy_version", isServiceSpecific = "is_service_specific"
            case useNonStandardStacks = "use_non_standard_stacks", specialFeatures = "special_features"
            case purposesConsent = "purposes_consent", purposesLI = "purposes_li"
            case purposeOneTreatment = "purpose_one_treatment", publisherCC = "publisher_cc"
            case maxVendorID = "max_vendor_id", rangeEncoding = "range_encoding", vendors
        }
    }

    struct Line: Decodable {
        let string: String
        let reading: Reading
    }

    struct OracleFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func oracle(_ arguments: [String], input: String = "") throws -> [Line] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tcf-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (stdin, stdout, stderr) = (
            folder.appendingPathComponent("in"), folder.appendingPathComponent("out"),
            folder.appendingPathComponent("err")
        )
        try Data(input.utf8).write(to: stdin)
        for file in [stdout, stderr] { try Data().write(to: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        process.waitUntilExit()
        let errors = String(decoding: try Data(contentsOf: stderr), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw OracleFailed(description: "tcf_oracle.py \(arguments) exited \(process.terminationStatus): \(errors)")
        }
        let decoder = JSONDecoder()
        return try String(decoding: try Data(contentsOf: stdout), as: UTF8.self).split(separator: "\n").map {
            try decoder.decode(Line.self, from: Data($0.utf8))
        }
    }

    static func compare(_ tc: TCString, _ oracle: Reading, _ text: String) {
        // iab-tcf keeps whole seconds.
        #expect(Int(tc.created.timeIntervalSince1970.rounded(.down)) == oracle.createdSeconds, "\(text)")
        #expect(Int(tc.lastUpdated.timeIntervalSince1970.rounded(.down)) == oracle.lastUpdatedSeconds, "\(text)")
        let numbers: [Int] = [
            tc.version, tc.cmpID, tc.cmpVersion, tc.consentScreen, tc.vendorListVersion, tc.tcfPolicyVersion,
        ]
        let oracleNumbers: [Int] = [
            oracle.version, oracle.cmpID, oracle.cmpVersion, oracle.consentScreen, oracle.vendorListVersion,
            oracle.tcfPolicyVersion,
        ]
        #expect(numbers == oracleNumbers, "\(text)")
        #expect(tc.consentLanguage == oracle.consentLanguage && tc.publisherCC == oracle.publisherCC, "\(text)")
        let flags = [tc.isServiceSpecific, tc.useNonStandardTexts, tc.purposeOneTreatment]
        let oracleFlags = [oracle.isServiceSpecific, oracle.useNonStandardStacks, oracle.purposeOneTreatment]
        #expect(flags == oracleFlags, "\(text)")
        #expect(tc.specialFeatureOptIns.sorted() == oracle.specialFeatures, "\(text)")
        #expect(tc.purposesConsent.sorted() == oracle.purposesConsent, "\(text)")
        #expect(tc.purposesLITransparency.sorted() == oracle.purposesLI, "\(text)")
        #expect(tc.maxVendorID == oracle.maxVendorID, "\(text)")
        #expect((tc.vendorEncoding == .range) == oracle.rangeEncoding, "\(text)")
        #expect(tc.consentedVendorIDs == oracle.vendors, "\(text)")
        let sample = Set(oracle.vendors.prefix(20))
        for id in [1, 2, 100, oracle.maxVendorID] + Array(sample) {
            #expect(tc.vendorConsent(id) == oracle.vendors.contains(id), "vendor \(id) in \(text)")
        }
    }
}
