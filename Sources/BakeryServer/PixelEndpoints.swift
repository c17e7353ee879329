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
        let parameters: SyncParameters
        do {
            parameters = try PixelRequest.sync(query)
        } catch {
            return refuse("sync", .badRequest, error.message)
        }
        let (partner, cookieID, site, read) = (parameters.partner, parameters.cookieID, parameters.site, parameters.read)
        guard let entry = try await directory.entry(for: partner) else {
            return refuse("sync", .unknownPartner, "unknown partner")
        }
        let partnerVendorID = configuration.partnerVendorIDs[partner]
        if let skip = consentOutcome("sync", request, parameters.consent, partnerVendorID: partnerVendorID) {
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
        let parameters: BakeParameters
        do {
            parameters = try PixelRequest.bake(query)
        } catch {
            return refuse("bake", .badRequest, error.message)
        }
        let email = parameters.email
        if let skip = consentOutcome("bake", request, parameters.consent, partnerVendorID: nil) {
            return pixel("bake", skip, daID: nil)
        }
        let (daID, minted) = daID(of: request)
        let seen = now()
        var writes: [PendingWrite] = [
            .graph(GraphEdge(node: .daID(daID), identifier: Identifier(.email, email), lastSeen: seen))
        ]
        if let device = parameters.device {
            let (kind, id) = (device.kind, device.id)
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
        if let value = PixelRequest.daID(request.cookies, name: configuration.cookieName) { return (value, false) }
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
