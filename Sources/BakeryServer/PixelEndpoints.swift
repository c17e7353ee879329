import BakeryCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// The pixel endpoints DMPs and publishers fire: cookie sync, bake (identity graph), opt-out.
struct PixelEndpoints: Sendable {
    let configuration: ServerConfiguration
    let queue: WriteQueue
    let directory: PartnerDirectory
    let metrics: ServerMetrics
    let logger: Logger
    let now: @Sendable () -> Date

    /// `GET /bakery/sync/dmpsyncendpoint?site=SITE&partner=PARTNER&cookieid=ID&read=false`
    func sync(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let started = ContinuousClock.now
        defer { metrics.latency.record(ContinuousClock.now - started) }
        let partner: String, cookieID: String, site: String?, read: Bool, consent: ConsentSignals
        do {
            partner = try QueryValue.required(query["partner"], name: "partner", limit: RequestLimits.partner)
            // Piano sends its cookie id as `parcid`.
            cookieID = try QueryValue.required(
                query["cookieid"] ?? query["parcid"], name: "cookieid", limit: RequestLimits.cookieID)
            site = try QueryValue.optional(query["site"], name: "site", limit: RequestLimits.site)
            read = try QueryValue.flag(query["read"], name: "read")
            consent = try Self.consentSignals(query)
        } catch {
            return refuse("sync", .badRequest, error.message)
        }
        guard let entry = try await directory.entry(for: partner) else {
            return refuse("sync", .unknownPartner, "unknown partner")
        }
        let partnerVendorID = configuration.partnerVendorIDs[partner]
        if let skip = consentOutcome("sync", request, consent, partnerVendorID: partnerVendorID) {
            return pixel("sync", skip, daID: nil)
        }
        let (daID, minted) = daID(of: request)
        let hit = SyncHit(partner: partner, cookieID: cookieID, daID: daID, site: site, at: now())
        guard queue.offer([.sync(hit)]) else { return overloaded("sync") }
        log("sync", partner: partner, cookieID: cookieID, daID: daID, minted: minted)
        if read, let callback = entry.callbackURL {
            metrics.request("sync", .ok)
            var response = Response(status: .found, headers: noStore)
            response.headers[.location] = Self.callback(callback, daID: daID)
            response.setCookie(cookie(daID))
            return response
        }
        return pixel("sync", .ok, daID: daID)
    }

    /// `GET /bakery/bake?publisher=ID&did=DEVICEID&dtype=IDFA|AAID&email=SHA256HEX&category=[c1,c2]`
    func bake(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let started = ContinuousClock.now
        defer { metrics.latency.record(ContinuousClock.now - started) }
        let email: IdentifierHash
        var device: (GraphNode.DeviceKind, String)?
        let consent: ConsentSignals
        do {
            _ = try QueryValue.required(query["publisher"], name: "publisher", limit: RequestLimits.publisher)
            _ = try QueryValue.optional(query["category"], name: "category", limit: RequestLimits.categories)
            let hex = try QueryValue.required(query["email"], name: "email", limit: 64)
            guard let hash = IdentifierHash(hex: hex) else {
                throw QueryValue.Invalid(message: "email must be a SHA-256 hash: 64 hex characters")
            }
            email = hash
            let did = try QueryValue.optional(query["did"], name: "did", limit: 64)
            let dtype = try QueryValue.optional(query["dtype"], name: "dtype", limit: 8)
            switch (did, dtype) {
            case (nil, nil): break
            case (let id?, let type?):
                guard let kind = GraphNode.DeviceKind(rawValue: type.lowercased()) else {
                    throw QueryValue.Invalid(message: "dtype must be IDFA or AAID")
                }
                guard let uuid = UUID(uuidString: id) else { throw QueryValue.Invalid(message: "did must be a UUID") }
                device = (kind, uuid.uuidString.lowercased())
            default:
                throw QueryValue.Invalid(message: "did and dtype go together")
            }
            consent = try Self.consentSignals(query)
        } catch let error as QueryValue.Invalid {
            return refuse("bake", .badRequest, error.message)
        }
        if let skip = consentOutcome("bake", request, consent, partnerVendorID: nil) {
            return pixel("bake", skip, daID: nil)
        }
        let (daID, minted) = daID(of: request)
        let seen = now()
        var writes: [PendingWrite] = [
            .graph(GraphEdge(node: .daID(daID), identifier: Identifier(.email, email), lastSeen: seen))
        ]
        if let (kind, id) = device {
            writes.append(
                .graph(GraphEdge(node: .device(kind, id), identifier: Identifier(.email, email), lastSeen: seen)))
            // The browser was seen with this device: a CRM record carrying only the device id can match through it.
            let deviceKind: IdentifierKind = kind == .aaid ? .aaid : .idfa
            writes.append(
                .graph(
                    GraphEdge(
                        node: .daID(daID), identifier: Identifier(deviceKind, .sha256(of: id)), lastSeen: seen)))
        }
        guard queue.offer(writes) else { return overloaded("bake") }
        log("bake", partner: nil, cookieID: nil, daID: daID, minted: minted)
        return pixel("bake", .ok, daID: daID)
    }

    /// `GET /bakery/optout`: sets the opt-out cookie and expires the DA id cookie.
    func optOut(_ request: Request) -> Response {
        var response = gifResponse()
        response.setCookie(
            Cookie(
                name: configuration.optOutCookieName, value: "1", maxAge: Int(configuration.cookieLifetime),
                domain: configuration.cookieDomain, path: "/", secure: true, httpOnly: true, sameSite: .none))
        response.setCookie(
            Cookie(
                name: configuration.cookieName, value: "", maxAge: 0, domain: configuration.cookieDomain, path: "/",
                secure: true, httpOnly: true, sameSite: .none))
        metrics.request("optout", .ok)
        return response
    }

    // MARK: Pieces

    private var noStore: HTTPFields { [.cacheControl: "no-store"] }

    /// `gdpr`, `gdpr_consent`, `gpp`, `gpp_sid`: within their length limits and of their form (a 400 otherwise).
    private static func consentSignals(_ query: FlatDictionary<Substring, Substring>) throws(QueryValue.Invalid)
        -> ConsentSignals
    {
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

    /// The opt-out cookie, or what `ConsentRule` decides from the consent parameters: answer, store nothing.
    private func consentOutcome(
        _ endpoint: String, _ request: Request, _ signals: ConsentSignals, partnerVendorID: Int?
    ) -> ServerMetrics.Outcome? {
        if request.cookies[configuration.optOutCookieName] != nil { return .optedOut }
        switch ConsentRule(bakeryVendorID: configuration.tcfVendorID).decision(
            for: signals, partnerVendorID: partnerVendorID)
        {
        case .store: return nil
        case .noConsent: return .noConsent
        case .badConsentString(let reason):
            // The reason names the field and position, never the string.
            logger.info("bad consent string", metadata: ["endpoint": "\(endpoint)", "reason": "\(reason)"])
            return .badConsentString
        }
    }

    /// The browser's DA id, or a new one when the cookie is absent or malformed.
    private func daID(of request: Request) -> (String, minted: Bool) {
        if let value = request.cookies[configuration.cookieName]?.value, DAID.isValid(value) { return (value, false) }
        return (DAID.mint(), true)
    }

    private func cookie(_ daID: String) -> Cookie {
        // Max-Age alone: every current browser honours it, and formatting an Expires date costs each request.
        Cookie(
            name: configuration.cookieName, value: daID, maxAge: Int(configuration.cookieLifetime),
            domain: configuration.cookieDomain, path: "/", secure: true,
            httpOnly: true, sameSite: .none)
    }

    private func gifResponse() -> Response {
        Response(
            status: .ok, headers: [.contentType: "image/gif", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: TransparentGIF.bytes)))
    }

    /// The GIF, refreshing the DA id cookie's lifetime when there is one.
    private func pixel(_ endpoint: String, _ outcome: ServerMetrics.Outcome, daID: String?) -> Response {
        metrics.request(endpoint, outcome)
        var response = gifResponse()
        if let daID { response.setCookie(cookie(daID)) }
        return response
    }

    private func refuse(_ endpoint: String, _ outcome: ServerMetrics.Outcome, _ message: String) -> Response {
        metrics.request(endpoint, outcome)
        logger.info(
            "refused", metadata: ["endpoint": "\(endpoint)", "outcome": "\(outcome.rawValue)", "reason": "\(message)"])
        return Response(
            status: .badRequest, headers: [.contentType: "text/plain", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    private func overloaded(_ endpoint: String) -> Response {
        metrics.request(endpoint, .overloaded)
        logger.warning("write queue full: answering 503", metadata: ["depth": "\(queue.depth)"])
        return Response(
            status: .serviceUnavailable, headers: [.cacheControl: "no-store", .retryAfter: "1"],
            body: .init(byteBuffer: ByteBuffer(string: "busy\n")))
    }

    /// Access log line; DA ids and cookie ids only with the debug flag.
    private func log(_ endpoint: String, partner: String?, cookieID: String?, daID: String, minted: Bool) {
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = ["endpoint": "\(endpoint)", "minted": "\(minted)"]
        if let partner { metadata["partner"] = "\(partner)" }
        if configuration.debugLogging {
            metadata["da_id"] = "\(daID)"
            if let cookieID { metadata["cookie_id"] = "\(cookieID)" }
        }
        logger.debug("accepted", metadata: metadata)
    }

    /// The partner's callback with `${DA_ID}` replaced by the URL-encoded DA id.
    static func callback(_ template: String, daID: String) -> String {
        let encoded =
            daID.addingPercentEncoding(
                withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? daID
        return template.replacingOccurrences(of: "${DA_ID}", with: encoded)
    }
}
