import BakeryConsole
import BakeryCore
import BakeryServer
import Foundation
import Hummingbird
import HummingbirdCore

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
    /// A consent string as the `gdpr_consent` (TC string) and as the `gpp` parameter (GPP string), and the rule's
    /// decision on it.
    case consent
    /// A pixel request: the first line is the request target (`/bakery/sync/dmpsyncendpoint?partner=…`), each
    /// further line a `Cookie` header; read as the sync and the bake endpoints read them.
    case pixelRequest = "pixel-request"

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
        case .consent: Consent.run(String(decoding: data, as: UTF8.self))
        case .pixelRequest: Pixel.run(String(decoding: data, as: UTF8.self))
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

/// The consent decoders and the rule on one string.
enum Consent {
    static let rule = ConsentRule(bakeryVendorID: 755)

    static func run(_ text: String) {
        if let tc = try? TCString(decoding: text) {
            _ = tc.vendorConsent(755)
            _ = rule.decision(for: tc, partnerVendorID: 1)
        }
        _ = try? GPPString(decoding: text)
        // A leading `sid,…|` is the gpp_sid beside the string.
        let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        let sid = parts.count == 2 ? String(parts[0]) : nil
        let string = String(parts.last ?? "")
        for signals in [
            try? ConsentSignals(gdpr: "1", gdprConsent: string), try? ConsentSignals(gpp: string, gppSID: sid),
        ] {
            if let signals { _ = rule.decision(for: signals, partnerVendorID: 32) }
        }
    }
}

/// A pixel request's query and cookies, as the endpoints read them.
enum Pixel {
    static func run(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let query = URI(lines.first ?? "").queryParameters
        if let sync = try? PixelRequest.sync(query) {
            _ = ConsentRule(bakeryVendorID: 755).decision(for: sync.consent, partnerVendorID: 1)
        }
        if let bake = try? PixelRequest.bake(query) {
            _ = ConsentRule(bakeryVendorID: nil).decision(for: bake.consent)
        }
        _ = PixelRequest.daID(Cookies(from: Array(lines.dropFirst())), name: "da_id")
    }
}
