import BakeryCore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// `bakery serve`: the pixel endpoints, `/healthz` and `/metrics` on Hummingbird, with the batching writer
/// beside them in one service group that drains gracefully on SIGTERM and SIGINT.
public struct BakeryHTTPServer: Sendable {
    public let configuration: ServerConfiguration
    public let store: any Store
    public let queue: WriteQueue
    public let metrics: ServerMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    let endpoints: PixelEndpoints

    public init(
        store: any Store, configuration: ServerConfiguration = ServerConfiguration(),
        logger: Logger = ServerLogHandler.logger(label: "bakery.server", level: .info),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
        queue = WriteQueue(capacity: configuration.queueCapacity)
        metrics = ServerMetrics()
        endpoints = PixelEndpoints(
            configuration: configuration, queue: queue, directory: PartnerDirectory(store: store), metrics: metrics,
            logger: logger, now: now)
    }

    /// The single writer that commits what the endpoints accept.
    public var writer: SyncWriter {
        SyncWriter(queue: queue, store: store, configuration: configuration, metrics: metrics, logger: logger)
    }

    public func makeRouter() -> Router<BasicRequestContext> {
        let endpoints = endpoints
        let router = Router()
        router.get("bakery/sync/dmpsyncendpoint") { request, _ in try await endpoints.sync(request) }
        router.get("bakery/bake") { request, _ in try await endpoints.bake(request) }
        router.get("bakery/optout") { request, _ in endpoints.optOut(request) }
        router.get("healthz") { _, _ in await health() }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        return router
    }

    static let serverName = "bakery"

    /// HTTP/1 with the sync and bake pixels answered on the event loop (``PixelFastPath``) when
    /// `configuration.pixelFastPath`, by the router otherwise.
    private var server: HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: .nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1))),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: RequestLimits.headerFieldBytes, maxHeaderListSize: RequestLimits.headerBytes,
                maxHeaderFieldCount: RequestLimits.headerCount))
        guard configuration.pixelFastPath else { return .http1(configuration: http1) }
        let endpoints = endpoints
        return HTTPServerBuilder { responder in
            PixelChannel(http1: HTTP1Channel(responder: responder, configuration: http1), endpoints: endpoints)
        }
    }

    public func makeApplication() -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: Self.serverName),
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops taking requests and commits everything already answered.
    /// With an export root, the nightly export scheduler runs beside the endpoints, audited as `scheduler` in the
    /// role of `actor`.
    /// With a storage connector, the nightly exports are delivered to each client's delivery location, and every
    /// `pollInterval` the intake locations are polled and failed deliveries retried.
    public func run(
        exportRoot: URL? = nil, exportTimeOfDay: Int = 2 * 3600, storage: (any StorageConnector)? = nil,
        pollInterval: Duration = .seconds(60), by actor: Operator
    ) async throws {
        try await loadPartners()
        // Services shut down in reverse order: the HTTP server first, the writer (which drains) last.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: writer)]
        let scheduler = Operator(name: "scheduler", role: actor.role)
        if let exportRoot {
            services.append(
                .init(
                    service: ExportScheduler(
                        store: store, exportRoot: exportRoot, actor: scheduler, timeOfDay: exportTimeOfDay,
                        metrics: metrics, logger: logger, storage: storage, retention: configuration.retention,
                        now: now)))
        }
        if let storage {
            services.append(
                .init(
                    service: StorageScheduler(
                        store: store, connector: storage, actor: scheduler, interval: pollInterval,
                        failedFiles: configuration.failedFiles, logger: logger,
                        now: now)))
        }
        services.append(.init(service: makeApplication()))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Loads the partner directory, so the first sync requests are answered on the event loop too (it is reloaded
    /// every few seconds while the server runs).
    public func loadPartners() async throws {
        try await endpoints.directory.reload()
    }

    private func health() async -> Response {
        let depth = queue.depth
        do {
            _ = try await store.clients()
            // Answered hits wait in the queue while the store refuses them: take this server out of rotation.
            if metrics.writerFailing.load(ordering: .relaxed) {
                return json(
                    .serviceUnavailable,
                    "{\"status\":\"writes failing\",\"queue_depth\":\(depth),\"queue_capacity\":\(queue.capacity)}")
            }
            return json(.ok, "{\"status\":\"ok\",\"queue_depth\":\(depth),\"queue_capacity\":\(queue.capacity)}")
        } catch {
            return json(.serviceUnavailable, "{\"status\":\"store unreachable\",\"queue_depth\":\(depth)}")
        }
    }

    private func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
