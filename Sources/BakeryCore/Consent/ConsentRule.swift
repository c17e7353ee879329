/// What a pixel request's consent parameters allow.
public enum ConsentDecision: Equatable, Sendable {
    /// GDPR does not apply, or the TC string grants what Bakery needs.
    case store
    /// GDPR applies and there is no TC string, or it does not grant Purpose 1 and the vendors' consent.
    case noConsent
    /// The string that decides does not decode; the message says why and where (never the string).
    case badConsentString(String)
}

/// Decides, from a request's ``ConsentSignals``, whether Bakery may store what the request carries.
///
/// Which signal decides, first match wins:
/// 1. `gpp` is given: it must decode (``GPPString``), whatever else the request says, or the request is a bad
///    consent string.
///    - with `gpp_sid`: when it lists 2 (TCF EU v2), GDPR applies and the GPP string's TCF EU v2 section decides,
///      or `gdpr_consent` when the GPP string has no such section; when it does not list 2, GDPR does not apply
///      and the request is stored, whatever `gdpr` says (as Prebid Server's `/setuid`).
///    - without `gpp_sid`: when the header lists section 2, that section decides even with `gdpr=0` (stricter
///      than Prebid Server, which takes the signal from `gdpr` then); otherwise the rules below.
/// 2. `gpp_sid` without `gpp`: lists 2, GDPR applies and `gdpr_consent` decides; does not, stored.
/// 3. `gdpr=0`: stored (`gdpr_consent` is not read). `gdpr=1`: `gdpr_consent` decides. `gdpr` absent:
///    `gdpr_consent` decides when given, else stored (no signal means GDPR was not found to apply).
///
/// A TC string that decides grants when it decodes (``TCString``), has consent for Purpose 1 (store and access
/// information on a device), and consent for Bakery's vendor id and, when the partner has one configured, the
/// partner's. Where GDPR applies and no TC string is given, there is no consent. Without a vendor id of Bakery's
/// nothing shows the user consented to Bakery: every request GDPR applies to is then no consent.
public struct ConsentRule: Sendable {
    /// Purpose 1: store and/or access information on a device.
    public static let storagePurpose = 1
    /// Bakery's IAB Global Vendor List id (`serve --tcf-vendor-id`).
    public var bakeryVendorID: Int?

    public init(bakeryVendorID: Int?) { self.bakeryVendorID = bakeryVendorID }

    public func decision(for signals: ConsentSignals, partnerVendorID: Int? = nil) -> ConsentDecision {
        let legacy = { () -> ConsentDecision in
            guard let consent = signals.gdprConsent else { return .noConsent }
            return decision(forTCString: consent, partnerVendorID: partnerVendorID)
        }
        if let gpp = signals.gpp {
            let decoded: GPPString
            do { decoded = try GPPString(decoding: gpp) } catch { return .badConsentString(error.message) }
            if let sections = signals.gppSID, !sections.contains(GPPString.tcfEUv2) { return .store }
            if let tcf = decoded.tcfEUv2 { return decision(for: tcf, partnerVendorID: partnerVendorID) }
            if signals.gppSID != nil { return legacy() }
        } else if let sections = signals.gppSID {
            return sections.contains(GPPString.tcfEUv2) ? legacy() : .store
        }
        switch signals.gdpr {
        case false?: return .store
        case true?: return legacy()
        case nil: return signals.gdprConsent == nil ? .store : legacy()
        }
    }

    private func decision(forTCString text: String, partnerVendorID: Int?) -> ConsentDecision {
        do {
            return decision(for: try TCString(decoding: text), partnerVendorID: partnerVendorID)
        } catch {
            return .badConsentString(error.message)
        }
    }

    /// Purpose 1, Bakery's vendor id, and the partner's when it has one.
    public func decision(for tcString: TCString, partnerVendorID: Int?) -> ConsentDecision {
        guard tcString.purposesConsent.contains(Self.storagePurpose), let bakeryVendorID,
            tcString.vendorConsent(bakeryVendorID)
        else { return .noConsent }
        if let partnerVendorID, !tcString.vendorConsent(partnerVendorID) { return .noConsent }
        return .store
    }
}
