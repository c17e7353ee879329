import BakeryFuzzTargets
import Foundation
import Testing

/// Every input the fuzzers ever crashed on (Fuzz/Regressions/TARGET/*) and every seed (Fuzz/Corpus/TARGET/*) goes
/// through its target again on each test run: a fixed crash stays fixed. scripts/fuzz searches for new ones.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        ["Corpus", "Regressions"].flatMap { kind -> [URL] in
            let folder = fuzz.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
                .map { folder.appendingPathComponent($0) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everySeedAndPastCrashRunsThrough(target: FuzzTarget) throws {
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty, "Fuzz/Corpus/\(target.rawValue) holds the target's seeds")
        for input in inputs { target.run(try Data(contentsOf: input)) }
    }
}
