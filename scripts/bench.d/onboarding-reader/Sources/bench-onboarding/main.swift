import BakeryCore
import Foundation

// Usage: bench-onboarding [ROWS]  — writes a synthetic 5-column CRM file to a temp folder,
// then times the raw CSV reader and the full row pipeline over it.
let rows = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

func write(_ name: String, phone: (Int) -> String) throws -> URL {
    let url = folder.appendingPathComponent(name)
    FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    var text = "Email,Phone,postal code,house number,custom\r\n"
    for index in 0..<rows {
        text += "User.\(index)@Example.com,\(phone(index)),\(1000 + index % 9000)AB,\(1 + index % 300),CRM-\(index)\r\n"
        if text.utf8.count > 1 << 20 {
            try handle.write(contentsOf: Data(text.utf8))
            text = ""
        }
    }
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
    return url
}

func time(_ label: String, bytes: Int, _ body: () throws -> Int) rethrows {
    let start = Date()
    let count = try body()
    let seconds = Date().timeIntervalSince(start)
    let mib = Double(bytes) / 1_048_576
    // Peak resident memory so far: it should stay flat however large the file.
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(
        String(
            format: "%@: %d rows in %.2f s (%.0f rows/s, %.0f MiB/s), peak RSS %ld MiB", label, count, seconds,
            Double(count) / seconds, mib / seconds, usage.ru_maxrss / 1024))
}

let international = try write("international.csv") { "+3161\(String(format: "%07d", $0 % 10_000_000))" }
let national = try write("national.csv") { "06 1\(String(format: "%07d", $0 % 10_000_000))" }
let bracketed = try write("bracketed.csv") { "+31 (0)6 1\(String(format: "%07d", $0 % 10_000_000))" }
let size = (try FileManager.default.attributesOfItem(atPath: international.path)[.size] as? Int) ?? 0

try time("CSV reader only", bytes: size) {
    var fields = 0
    let summary = try CSVFileReader(url: international).read(header: { _ in }) { event in
        if case .record(let record) = event { fields += record.fields.count }
    }
    return summary.rows
}
// The same file gzipped (by the system gzip, level 6) to time streaming decompression.
let gzip = Process()
gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
gzip.arguments = ["-k", "-6", international.path]
try gzip.run()
gzip.waitUntilExit()
try time("CSV reader only, .csv.gz", bytes: size) {
    try CSVFileReader(url: international.appendingPathExtension("gz")).read(header: { _ in }) { _ in }.rows
}

for (label, url) in [
    ("full pipeline, +31… phones", international), ("full pipeline, 06 … phones", national),
    ("full pipeline, +31 (0)6 … phones (full parse)", bracketed),
] {
    try time(label, bytes: size) {
        var accepted = 0
        _ = try CRMFileReader(url: url, clientID: "bench", country: "NL").read { outcome in
            if case .accepted = outcome { accepted += 1 }
        }
        return accepted
    }
}

// Per-rule costs, to see where row time goes.
func micro(_ label: String, _ count: Int = 200_000, _ body: (Int) -> Bool) {
    let start = Date()
    var ok = 0
    for index in 0..<count where body(index) { ok += 1 }
    let micros = Date().timeIntervalSince(start) * 1_000_000 / Double(count)
    print(String(format: "  %@: %.2f µs/value (%d valid)", label, micros, ok))
}
let emails = (0..<1000).map { "User.\($0)@Example.com" }
micro("email normalise") { EmailAddress.normalise(emails[$0 % 1000]) != nil }
micro("email normalise + sha256") { EmailAddress.normalise(emails[$0 % 1000]).map(IdentifierHash.sha256(of:)) != nil }
micro("phone +31… (fast path)") { PhoneNumber.e164("+3161\(1_000_000 + $0 % 1000)", region: "NL") != nil }
micro("phone 06 … (fast path)") { PhoneNumber.e164("06 1\(1_000_000 + $0 % 1000)", region: "NL") != nil }
micro("phone +31 (0)6 … (full parse)") { PhoneNumber.e164("+31 (0)6 1\(1_000_000 + $0 % 1000)", region: "NL") != nil }
micro("address NL") {
    PostalAddress.canonical(
        PostalAddressParts(postalCode: "1234AB", houseNumber: "\(1 + $0 % 300)", extension: "a"), country: "NL") != nil
}
micro("custom id") { CustomRecordID.normalise("CRM-\($0)") != nil }
micro("sha256 only") { IdentifierHash.sha256(of: emails[$0 % 1000]).hex.count == 64 }
