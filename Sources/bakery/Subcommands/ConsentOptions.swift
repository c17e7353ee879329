import ArgumentParser
import BakeryCore
import BakeryServer

/// `serve --tcf-vendor-id N --partner-vendor-id PARTNER=N …`: whose consent a TC string must grant (see
/// `ConsentRule` and docs/privacy.md, Consent).
struct ConsentOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Bakery's IAB TCF vendor id. Where GDPR applies, nothing is stored unless the TC string grants it "
                + "consent; without it, nothing GDPR applies to is stored.", valueName: "id"))
    var tcfVendorID: Int?

    @Option(
        help: ArgumentHelp(
            "A partner's IAB TCF vendor id, whose consent that partner's syncs also need (repeatable).",
            valueName: "partner=id"))
    var partnerVendorID: [String] = []

    static let vendorIDs = 1...65_535

    func validate() throws {
        if let tcfVendorID, !Self.vendorIDs.contains(tcfVendorID) {
            throw ValidationError("--tcf-vendor-id must be between 1 and 65535, got \(tcfVendorID)")
        }
        _ = try partnerVendorIDs()
    }

    /// `PARTNER=N` pairs by partner key.
    func partnerVendorIDs() throws(ValidationError) -> [String: Int] {
        var ids: [String: Int] = [:]
        for pair in partnerVendorID {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let id = Int(parts[1]), Self.vendorIDs.contains(id) else {
                throw ValidationError(
                    "--partner-vendor-id must be PARTNER=ID with an id between 1 and 65535, got '\(pair)'")
            }
            let key = String(parts[0])
            do {
                try Partner(key: key).validate()
            } catch {
                throw ValidationError("--partner-vendor-id '\(pair)': \(error.localizedDescription)")
            }
            guard ids.updateValue(id, forKey: key) == nil else {
                throw ValidationError("--partner-vendor-id gives partner '\(key)' twice")
            }
        }
        return ids
    }

    func apply(to configuration: inout ServerConfiguration) throws {
        configuration.tcfVendorID = tcfVendorID
        configuration.partnerVendorIDs = try partnerVendorIDs()
    }
}
