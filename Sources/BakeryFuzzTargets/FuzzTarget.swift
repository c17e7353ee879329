import BakeryConsole
import BakeryCore
import Foundation

/// The fuzz targets: what Fuzz/ (libFuzzer, scripts/fuzz) and the regression tests feed.
///
/// The inputs an outsider controls, each fed arbitrary bytes. A target may reject its input — that is the point —
/// but must never crash, trap, hang or read out of bounds (AddressSanitizer watches the last).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A CRM upload as `.csv`: read, header mapped, every row normalised and hashed as onboarding does.
    case csv
    /// The same bytes as a `.csv.gz` upload (zlib's side of the reader).
    case csvGzip = "csv-gz"
    /// The same bytes as a `.zip` upload (ZIPFoundation's side of the reader).
    case csvZip = "csv-zip"
    /// Each normaliser on one value: e-mail, phone (NL, SE, FI), the Swedish personnummer, postal addresses (NL, SE, FI),
    /// device ids, custom record ids, pre-hashed values.
    case normalisers
    /// The console's settings file (`console.toml`).
    case config
    /// A theme file.
    case theme

    /// Feeds one input to the target. Returns normally whatever the input; a crash is the bug.
    public func run(_ data: Data) {
        switch self {
        case .csv: CSVUpload.read(data, suffix: ".csv")
        case .csvGzip: CSVUpload.read(data, suffix: ".csv.gz")
        case .csvZip: CSVUpload.read(data, suffix: ".zip")
        case .normalisers: Normalisers.run(String(decoding: data, as: UTF8.self))
        case .config: _ = try? ConsoleConfiguration.parse(String(decoding: data, as: UTF8.self), file: "fuzz.toml")
        case .theme:
            _ = try? Theme.parse(String(decoding: data, as: UTF8.self), file: "fuzz.toml", defaultName: "fuzz")
        }
    }
}

/// Onboarding's reading of one file, without a store: the reader, the header mapping, the row parser.
enum CSVUpload {
    static let folder: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent("bakery-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    static func read(_ data: Data, suffix: String) {
        let file = folder.appendingPathComponent("upload" + suffix)
        guard (try? data.write(to: file)) != nil, let reader = try? CSVFileReader(url: file) else { return }
        for country in ["NL", "SE", "FI"] {
            var parser: CRMRowParser?
            _ = try? reader.read(
                header: { names in
                    let mapping = try CRMHeaderMapping(header: names, country: country)
                    parser = CRMRowParser(clientID: "fuzz", country: country, mapping: mapping, today: Day(iso: "2026-12-02")!)
                },
                records: { event in _ = parser?.outcome(for: event) })
        }
    }
}

/// Every normaliser on the same value; the value is also split on `|` into address parts.
enum Normalisers {
    static func run(_ value: String) {
        let today = Day(iso: "2026-12-02")!
        _ = EmailAddress.normalise(value)
        for region in ["NL", "SE", "FI"] { _ = PhoneNumber.e164(value, region: region) }
        _ = Personnummer.normalise(value, today: today)
        _ = DeviceID.normalise(value)
        _ = CustomRecordID.normalise(value)
        _ = PrehashedValue.parse(value)
        _ = MaskedValue.mask(value, column: .email)
        _ = MaskedValue.mask(value, column: .phone)
        let parts = value.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let address = PostalAddressParts(
            postalCode: parts.count > 0 ? parts[0] : "", houseNumber: parts.count > 1 ? parts[1] : "",
            extension: parts.count > 2 ? parts[2] : "", street: parts.count > 3 ? parts[3] : "",
            apartment: parts.count > 4 ? parts[4] : "")
        for country in PostalAddress.supportedCountries { _ = PostalAddress.validated(address, country: country) }
    }
}
