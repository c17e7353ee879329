import BakeryCore
import Foundation
import Hummingbird
import HummingbirdCore

/// What a sync request asks: read from its query and checked, before anything is looked up or stored.
public struct SyncParameters: Equatable, Sendable {
    public var partner: String
    public var cookieID: String
    public var site: String?
    public var read: Bool
    public var consent: ConsentSignals
}

/// What a bake request asks.
public struct BakeParameters: Equatable, Sendable {
    public var email: IdentifierHash
    /// The device id (normalised, lower-case UUID) and its kind, when given.
    public var device: Device?
    public var consent: ConsentSignals

    public struct Device: Equatable, Sendable {
        public var kind: GraphNode.DeviceKind
        public var id: String
    }
}

/// The pure part of the pixel endpoints: a request's query and cookies in, checked parameters or the 400 message
/// out. No store, no clock: the endpoints, the fuzz targets and the tests share it.
public enum PixelRequest {
    public typealias Query = FlatDictionary<Substring, Substring>

    /// `partner`, `cookieid` (or Piano's `parcid`), `site`, `read` and the consent parameters.
    public static func sync(_ query: Query) throws(QueryValue.Invalid) -> SyncParameters {
        SyncParameters(
            partner: try QueryValue.required(query["partner"], name: "partner", limit: RequestLimits.partner),
            cookieID: try QueryValue.required(
                query["cookieid"] ?? query["parcid"], name: "cookieid", limit: RequestLimits.cookieID),
            site: try QueryValue.optional(query["site"], name: "site", limit: RequestLimits.site),
            read: try QueryValue.flag(query["read"], name: "read"),
            consent: try consentSignals(query))
    }

    /// `publisher`, `category`, `email` (a SHA-256 in hex), `did` with `dtype`, and the consent parameters.
    public static func bake(_ query: Query) throws(QueryValue.Invalid) -> BakeParameters {
        _ = try QueryValue.required(query["publisher"], name: "publisher", limit: RequestLimits.publisher)
        _ = try QueryValue.optional(query["category"], name: "category", limit: RequestLimits.categories)
        let hex = try QueryValue.required(query["email"], name: "email", limit: 64)
        guard let email = IdentifierHash(hex: hex) else {
            throw QueryValue.Invalid(message: "email must be a SHA-256 hash: 64 hex characters")
        }
        var device: BakeParameters.Device?
        switch (
            try QueryValue.optional(query["did"], name: "did", limit: 64),
            try QueryValue.optional(query["dtype"], name: "dtype", limit: 8)
        ) {
        case (nil, nil): break
        case (let id?, let type?):
            guard let kind = GraphNode.DeviceKind(rawValue: type.lowercased()) else {
                throw QueryValue.Invalid(message: "dtype must be IDFA or AAID")
            }
            guard let uuid = UUID(uuidString: id) else { throw QueryValue.Invalid(message: "did must be a UUID") }
            device = .init(kind: kind, id: uuid.uuidString.lowercased())
        default:
            throw QueryValue.Invalid(message: "did and dtype go together")
        }
        return BakeParameters(email: email, device: device, consent: try consentSignals(query))
    }

    /// `gdpr`, `gdpr_consent`, `gpp`, `gpp_sid`: within their length limits and of their form (a 400 otherwise).
    static func consentSignals(_ query: Query) throws(QueryValue.Invalid) -> ConsentSignals {
        let gdpr = try QueryValue.optional(query["gdpr"], name: "gdpr", limit: 8)
        let consent = try QueryValue.optional(
            query["gdpr_consent"], name: "gdpr_consent", limit: RequestLimits.gdprConsent)
        let gpp = try QueryValue.optional(query["gpp"], name: "gpp", limit: RequestLimits.gpp)
        let sections = try QueryValue.optional(query["gpp_sid"], name: "gpp_sid", limit: RequestLimits.gppSID)
        do {
            return try ConsentSignals(gdpr: gdpr, gdprConsent: consent, gpp: gpp, gppSID: sections)
        } catch {
            throw QueryValue.Invalid(message: error.message)
        }
    }

    /// The browser's DA id from its cookies, or nil when the cookie is absent or not a DA id (a new one is minted).
    public static func daID(_ cookies: Cookies, name: String) -> String? {
        guard let value = cookies[name]?.value, DAID.isValid(value) else { return nil }
        return value
    }
}
