import BakeryCore
import Foundation

/// How `bakery serve` behaves; every value has a default an operator can override on the command line.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The DA id cookie: name, domain (nil = the request host), lifetime.
    public var cookieName = "da_id"
    public var cookieDomain: String?
    public var cookieLifetime: TimeInterval = 396 * 86_400
    /// Set by `GET /bakery/optout`; while present nothing is stored for the browser.
    public var optOutCookieName = "da_optout"
    /// Hits waiting for the writer; past this the endpoints answer 503 instead of growing without bound.
    public var queueCapacity = 200_000
    /// The writer commits what waited, at most this many hits per transaction… Under load a batch grows towards
    /// this: a batch of new pairs rewrites each touched page of the cookie-id index once, so more hits per batch
    /// means fewer page writes per hit. With 5,000 the writer fell behind new-pair traffic at about 13,000 pairs/s and
    /// the queue filled; with 50,000 it kept up with 22,000/s (`docs/performance.md`, Cookie-sync server).
    public var batchSize = 50_000
    /// …and at least this often while hits wait. Every answered hit is committed within this interval plus the time
    /// of the batches queued before it (0.2-0.4 s while the writer keeps up; `bakery_write_queue_depth` says when it
    /// does not).
    public var flushInterval: Duration = .milliseconds(200)
    /// A keep-alive connection with no request for this long is closed. Above the idle timeout of the load balancers
    /// in front (commonly 60 s), so that the balancer, not the server, closes an idle connection and never sends a
    /// request down one the server is closing (nginx's default keep-alive is 75 s for the same reason).
    public var idleTimeout: Duration = .seconds(75)
    /// Answer the sync and bake pixels on the event loop in front of the router (``PixelFastPath``); off, every
    /// request goes through the Hummingbird router (`serve --no-fast-path`, for comparison and diagnosis).
    public var pixelFastPath = true
    /// Log DA ids and cookie ids in plain text (off by default: they are personal data in the GDPR sense).
    public var debugLogging = false
    /// How long a drop-zone file that failed stays in `failed/` before the intake poller shreds it.
    public var failedFiles = FailedFileRule()
    /// What the nightly run purges after its exports (docs/privacy.md, Retention); nil purges nothing.
    public var retention: RetentionPolicy? = RetentionPolicy()
    /// Bakery's IAB Global Vendor List id: where GDPR applies, a TC string must grant it consent (see
    /// `ConsentRule`). Without one nothing GDPR applies to is stored.
    public var tcfVendorID: Int?
    /// Vendor ids of partners (by `partner` key) whose consent a sync also needs.
    public var partnerVendorIDs: [String: Int] = [:]

    public init() {}
}

/// Limits on what the endpoints accept; longer values or control characters are a 400.
public enum RequestLimits {
    public static let cookieID = 256
    public static let partner = 64
    public static let site = 256
    public static let publisher = 64
    public static let categories = 512
    public static let gdprConsent = TCString.maximumLength
    public static let gpp = GPPString.maximumLength
    public static let gppSID = 256
    /// The request head: a pixel request is a URL and a few headers; browsers' cookies stay under 8 KiB a domain.
    /// A longer head is refused by the HTTP decoder before any handler runs.
    public static let headerFieldBytes = 16 * 1_024
    public static let headerBytes = 32 * 1_024
    public static let headerCount = 100
}
