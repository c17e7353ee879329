import ArgumentParser
import BakeryCore
import BakeryServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the cookie-sync and bake endpoints, /healthz and /metrics.",
        discussion: """
            Endpoints: /bakery/sync/dmpsyncendpoint (cookie sync), /bakery/bake (identity graph), \
            /bakery/optout, /healthz, /metrics (Prometheus); parameters in docs/operator-guide.md.
            Every answered hit is committed within a second, and SIGTERM or SIGINT stops taking requests and \
            commits the rest before exiting.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Name of the DA id cookie.") var cookieName = "da_id"
    @Option(help: "Domain attribute of the DA id cookie (default: the request's host).") var cookieDomain: String?
    @Option(help: "Lifetime of the DA id cookie in days, refreshed on every visit.") var cookieDays = 396
    @Option(help: "Writes that may wait for the writer before requests get 503.") var queueCapacity = 200_000
    @Option(help: "Seconds a keep-alive connection may stay idle before the server closes it (keep it above the load balancer's).")
    var idleTimeout = 75
    @Flag(help: "Log DA ids and cookie ids in plain text (never in production).") var debugLog = false
    @Option(help: "UTC time of the nightly export and snapshot run, HH:MM.") var exportAt = "02:00"
    @Option(help: "Export root folder (default: $BAKERY_EXPORTS, else ./exports).") var exportDir: String?
    @Flag(help: "Do not run the nightly export scheduler.") var noScheduler = false
    @Option(help: "Seconds between polls of the intake locations (and retries of failed deliveries).")
    var pollInterval: Double = 60
    @Flag(help: "Neither poll intake locations nor deliver exports.") var noStorage = false
    @OptionGroup var failedFiles: FailedFileOptions
    @OptionGroup var consent: ConsentOptions
    @OptionGroup(title: "Nightly retention purge, after the exports") var retention: RetentionOptions
    @Flag(help: "Do not purge data past its retention at night.") var noPurge = false
    @Flag(help: "Answer every pixel through the router, not on the event loop in front of it (for comparison).")
    var noFastPath = false

    /// `HH:MM` as seconds after midnight.
    var exportSeconds: Int? {
        let parts = exportAt.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 3600 + m * 60
    }

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard (1...3_650).contains(cookieDays) else { throw ValidationError("--cookie-days must be between 1 and 3650") }
        guard pollInterval > 0, pollInterval <= 86_400 else {
            throw ValidationError("--poll-interval must be between 0 and 86400 seconds")
        }
        guard queueCapacity > 0 else { throw ValidationError("--queue-capacity must be positive") }
        guard (1...3_600).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 1 and 3600 seconds, got \(idleTimeout)")
        }
        _ = try retention.policy()
        guard exportSeconds != nil else { throw ValidationError("--export-at must be HH:MM (UTC), got '\(exportAt)'") }
        guard !cookieName.isEmpty, cookieName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ValidationError("--cookie-name may hold letters, digits, '_' and '-'")
        }
    }

    func run() async throws {
        let (actor, store) = try database.session()
        try await actor.require(.export, to: "serve the sync endpoint and the nightly exports", auditingIn: store)
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.cookieName = cookieName
        configuration.cookieDomain = cookieDomain
        configuration.cookieLifetime = TimeInterval(cookieDays) * 86_400
        configuration.queueCapacity = queueCapacity
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.debugLogging = debugLog
        configuration.failedFiles = failedFiles.rule
        try consent.apply(to: &configuration)
        configuration.retention = noPurge ? nil : try retention.policy()
        configuration.pixelFastPath = !noFastPath
        let logger = ServerLogHandler.logger(label: "bakery.serve", level: debugLog ? .debug : .info)
        Console.note("bakery serve: starting on http://\(host):\(port) with \(database.location)")
        if consent.tcfVendorID == nil {
            Console.note(
                "bakery serve: no --tcf-vendor-id: requests GDPR applies to store nothing (counted as no_consent)")
        }
        let root = ExportFolder.resolve(exportDir)
        do {
            try await BakeryHTTPServer(store: store, configuration: configuration, logger: logger)
                .run(
                    exportRoot: noScheduler ? nil : root, exportTimeOfDay: exportSeconds ?? 7200,
                    storage: noStorage ? nil : StorageConnectors.standard, pollInterval: .seconds(pollInterval),
                    by: actor)
        } catch let error as BakeryError {
            throw error
        } catch {
            // NIO's socket errors read like `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`.
            throw BakeryError.storeFailure("cannot serve on \(host):\(port): \(error)")
        }
    }
}
