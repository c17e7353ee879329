import BakeryCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// A pixel endpoint's answer, whichever path served the request: the Hummingbird route or ``PixelFastPath`` on the
/// event loop.
struct PixelAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    var response: Response { Response(status: status, headers: headers, body: .init(byteBuffer: body)) }
}

/// The pixel endpoints DMPs and publishers fire: cookie sync, bake (identity graph), opt-out.
///
/// The sync and bake answers are made synchronously from the query, the cookies and the partner directory in
/// memory: ``PixelFastPath`` answers them on the connection's event loop, and the Hummingbird routes answer the
/// requests it hands on (the directory due a reload, a connection with another request in flight).
struct PixelEndpoints: Sendable {
    let configuration: ServerConfiguration
    let queue: WriteQueue
    let directory: PartnerDirectory
    let metrics: ServerMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    /// What every answer repeats, made once: the GIF's buffer and headers, the DA id cookie's attributes.
    private let gif: ByteBuffer
    private let gifHeaders: HTTPFields
    private let daCookieAttributes: String

    init(
        configuration: ServerConfiguration, queue: WriteQueue, directory: PartnerDirectory, metrics: ServerMetrics,
        logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        (self.configuration, self.queue, self.directory) = (configuration, queue, directory)
        (self.metrics, self.logger, self.now) = (metrics, logger, now)
        gif = ByteBuffer(bytes: TransparentGIF.bytes)
        gifHeaders = [.contentType: "image/gif", .cacheControl: "no-store"]
        // Hummingbird's own formatting, once: "; Max-Age=…; Domain=…; Path=/; Secure; HttpOnly; SameSite=None".
        let template = Cookie(
            name: configuration.cookieName, value: "", maxAge: Int(configuration.cookieLifetime),
            domain: configuration.cookieDomain, path: "/", secure: true, httpOnly: true, sameSite: .none)
        daCookieAttributes = String(template.description.dropFirst(configuration.cookieName.count + 1))
    }

    // MARK: Routes

    func sync(_ request: Request) async throws -> Response {
        metrics.pixelsRouted.increment()
        let query = request.uri.queryParameters
        if let answer = sync(query, request.cookies) { return answer.response }
        // Only an unknown partner while the directory is due a reload gets here: wait for the reload, then answer.
        try await directory.reload()
        return sync(query, request.cookies, acceptStale: true)!.response
    }

    func bake(_ request: Request) -> Response {
        metrics.pixelsRouted.increment()
        return bake(request.uri.queryParameters, request.cookies).response
    }

    // MARK: Answers

    /// `GET /bakery/sync/dmpsyncendpoint?site=SITE&partner=PARTNER&cookieid=ID&read=false`, or nil when the
    /// partner directory is due a reload first (unless `acceptStale`: just after one).
    func sync(_ query: PixelRequest.Query, _ cookies: Cookies, acceptStale: Bool = false) -> PixelAnswer? {
        let started = ContinuousClock.now
        defer { metrics.latency.record(ContinuousClock.now - started) }
        let parameters: SyncParameters
        do {
            parameters = try PixelRequest.sync(query)
        } catch {
            return refuse(.sync, .badRequest, error.message)
        }
        let (partner, cookieID, site, read) = (parameters.partner, parameters.cookieID, parameters.site, parameters.read)
        let known: PartnerDirectory.Entry?
        switch directory.cachedEntry(for: partner) {
        case .current(let entry): known = entry
        case .stale:
            guard acceptStale else { return nil }
            known = directory.lastLoaded(partner)
        }
        guard let entry = known else { return refuse(.sync, .unknownPartner, "unknown partner") }
        let partnerVendorID = configuration.partnerVendorIDs[partner]
        if let skip = consentOutcome(.sync, cookies, parameters.consent, partnerVendorID: partnerVendorID) {
            return pixel(.sync, skip, daID: nil)
        }
        let at = now()
        let (daID, minted) = daID(of: cookies, at: at)
        let hit = SyncHit(partner: partner, cookieID: cookieID, daID: daID, site: site, at: at)
        guard queue.offer(.sync(hit)) else { return overloaded(.sync) }
        log(.sync, partner: partner, cookieID: cookieID, daID: daID, minted: minted)
        if read, let callback = entry.callbackURL {
            metrics.request(.sync, .ok)
            var answer = PixelAnswer(status: .found, headers: noStore, body: ByteBuffer())
            answer.headers[.location] = Self.callback(callback, daID: daID)
            setDACookie(daID, on: &answer)
            return answer
        }
        return pixel(.sync, .ok, daID: daID)
    }

    /// `GET /bakery/bake?publisher=ID&did=DEVICEID&dtype=IDFA|AAID&email=SHA256HEX&category=[c1,c2]`
    func bake(_ query: PixelRequest.Query, _ cookies: Cookies) -> PixelAnswer {
        let started = ContinuousClock.now
        defer { metrics.latency.record(ContinuousClock.now - started) }
        let parameters: BakeParameters
        do {
            parameters = try PixelRequest.bake(query)
        } catch {
            return refuse(.bake, .badRequest, error.message)
        }
        let email = parameters.email
        if let skip = consentOutcome(.bake, cookies, parameters.consent, partnerVendorID: nil) {
            return pixel(.bake, skip, daID: nil)
        }
        let seen = now()
        let (daID, minted) = daID(of: cookies, at: seen)
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
        guard queue.offer(writes) else { return overloaded(.bake) }
        log(.bake, partner: nil, cookieID: nil, daID: daID, minted: minted)
        return pixel(.bake, .ok, daID: daID)
    }

    /// `GET /bakery/optout`: sets the opt-out cookie and expires the DA id cookie.
    func optOut(_ request: Request) -> Response {
        var response = gifAnswer().response
        response.setCookie(
            Cookie(
                name: configuration.optOutCookieName, value: "1", maxAge: Int(configuration.cookieLifetime),
                domain: configuration.cookieDomain, path: "/", secure: true, httpOnly: true, sameSite: .none))
        response.setCookie(
            Cookie(
                name: configuration.cookieName, value: "", maxAge: 0, domain: configuration.cookieDomain, path: "/",
                secure: true, httpOnly: true, sameSite: .none))
        metrics.request(.optout, .ok)
        return response
    }

    // MARK: Pieces

    private var noStore: HTTPFields { [.cacheControl: "no-store"] }

    /// The opt-out cookie, or what `ConsentRule` decides from the consent parameters: answer, store nothing.
    private func consentOutcome(
        _ endpoint: ServerMetrics.Endpoint, _ cookies: Cookies, _ signals: ConsentSignals, partnerVendorID: Int?
    ) -> ServerMetrics.Outcome? {
        if cookies[configuration.optOutCookieName] != nil { return .optedOut }
        switch ConsentRule(bakeryVendorID: configuration.tcfVendorID).decision(
            for: signals, partnerVendorID: partnerVendorID)
        {
        case .store: return nil
        case .noConsent: return .noConsent
        case .badConsentString(let reason):
            // The reason names the field and position, never the string.
            logger.info("bad consent string", metadata: ["endpoint": "\(endpoint.rawValue)", "reason": "\(reason)"])
            return .badConsentString
        }
    }

    /// The browser's DA id, or a new one when the cookie is absent or malformed.
    private func daID(of cookies: Cookies, at now: Date) -> (String, minted: Bool) {
        if let value = PixelRequest.daID(cookies, name: configuration.cookieName) { return (value, false) }
        return (DAID.mint(at: now), true)
    }

    /// Sets (or refreshes the lifetime of) the DA id cookie. Max-Age alone: every current browser honours it, and
    /// formatting an Expires date costs each request.
    private func setDACookie(_ daID: String, on answer: inout PixelAnswer) {
        answer.headers.append(
            HTTPField(name: .setCookie, value: configuration.cookieName + "=" + daID + daCookieAttributes))
    }

    private func gifAnswer() -> PixelAnswer { PixelAnswer(status: .ok, headers: gifHeaders, body: gif) }

    /// The GIF, refreshing the DA id cookie's lifetime when there is one.
    private func pixel(_ endpoint: ServerMetrics.Endpoint, _ outcome: ServerMetrics.Outcome, daID: String?) -> PixelAnswer {
        metrics.request(endpoint, outcome)
        var answer = gifAnswer()
        if let daID { setDACookie(daID, on: &answer) }
        return answer
    }

    private func refuse(_ endpoint: ServerMetrics.Endpoint, _ outcome: ServerMetrics.Outcome, _ message: String)
        -> PixelAnswer
    {
        metrics.request(endpoint, outcome)
        logger.info(
            "refused",
            metadata: ["endpoint": "\(endpoint.rawValue)", "outcome": "\(outcome.rawValue)", "reason": "\(message)"])
        return PixelAnswer(
            status: .badRequest, headers: [.contentType: "text/plain", .cacheControl: "no-store"],
            body: ByteBuffer(string: message + "\n"))
    }

    private func overloaded(_ endpoint: ServerMetrics.Endpoint) -> PixelAnswer {
        metrics.request(endpoint, .overloaded)
        logger.warning("write queue full: answering 503", metadata: ["depth": "\(queue.depth)"])
        return PixelAnswer(
            status: .serviceUnavailable, headers: [.cacheControl: "no-store", .retryAfter: "1"],
            body: ByteBuffer(string: "busy\n"))
    }

    /// Access log line; DA ids and cookie ids only with the debug flag.
    private func log(
        _ endpoint: ServerMetrics.Endpoint, partner: String?, cookieID: String?, daID: String, minted: Bool
    ) {
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = ["endpoint": "\(endpoint.rawValue)", "minted": "\(minted)"]
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
