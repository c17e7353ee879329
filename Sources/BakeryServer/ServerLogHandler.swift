import Logging

/// swift-log's `StreamLogHandler` lines (same format, standard error), with the handler's own metadata kept as a
/// plain dictionary. `StreamLogHandler` re-renders its metadata as text each time a key is set, and Hummingbird sets
/// a request id on every request: on the sync endpoint that rendering, for lines almost never written, was 3 % of the
/// server's CPU. Here the metadata is rendered only when a line is written.
public struct ServerLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    /// A logger writing through this handler.
    public static func logger(label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label, factory: { ServerLogHandler(label: $0) })
        logger.logLevel = level
        return logger
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        stream.log(event: event)
    }
}
