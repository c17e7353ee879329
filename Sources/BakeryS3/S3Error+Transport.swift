import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension S3Error {
    /// Classifies an error thrown by AsyncHTTPClient or SwiftNIO while sending a request or reading its response.
    ///
    /// Connection errors come as `NIOConnectionError` (DNS failures and every failed connect attempt), `IOError`
    /// (errno), `ChannelError` or `HTTPClientError`; TLS errors as NIOSSL's types, recognised by module name so that
    /// this target need not depend on swift-nio-ssl. Returns nil for errors that are none of these.
    static func transport(_ error: any Error, host: String, _ context: Context) -> S3Error? {
        switch error {
        case let error as S3Error:
            return error
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return .dnsResolutionFailed(host: error.host, context)
            }
            if let first = error.connectionErrors.first?.error {
                return transport(first, host: host, context) ?? .connectionFailed(reason: "\(first)", context)
            }
            return .connectionFailed(reason: "could not connect to \(error.host):\(error.port)", context)
        case let error as SocketAddressError:
            if case .unknown = error { return .dnsResolutionFailed(host: host, context) }
            return .connectionFailed(reason: "\(error)", context)
        case let error as IOError:
            return errno(error.errnoCode, context)
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .timedOut(context)
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return .connectionReset(context)
            default: return .connectionFailed(reason: "\(error)", context)
            }
        case let error as HTTPClientError:
            return httpClient(error, context)
        case let error as HTTPParserError:
            // The connection closed before the response was complete, or the server spoke something else.
            if case .invalidEOFState = error { return .connectionReset(context) }
            return .malformedResponse("not a valid HTTP response (\(error))", context)
        default:
            let type = String(reflecting: Swift.type(of: error))
            if type.hasPrefix("NIOSSL.") { return .tlsFailed(reason: tlsReason(error), context) }
            return nil
        }
    }

    private static func errno(_ code: Int32, _ context: Context) -> S3Error {
        switch code {
        case ECONNREFUSED: return .connectionRefused(context)
        case ECONNRESET, EPIPE, ECONNABORTED: return .connectionReset(context)
        case ETIMEDOUT: return .timedOut(context)
        default: return .connectionFailed(reason: String(cString: strerror(code)), context)
        }
    }

    private static func httpClient(_ error: HTTPClientError, _ context: Context) -> S3Error? {
        switch error {
        case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
            .tlsHandshakeTimeout:
            return .timedOut(context)
        case .remoteConnectionClosed, .uncleanShutdown:
            return .connectionReset(context)
        case .invalidURL, .emptyHost, .emptyScheme:
            return .invalidArgument("the endpoint URL is not valid (\(error))", context)
        case .bodyLengthMismatch:
            return .localFile(path: context.key ?? "?", reason: "the file changed size while it was sent", context)
        default:
            return .connectionFailed(reason: error.shortDescription, context)
        }
    }

    /// `handshakeFailed: WRONG_VERSION_NUMBER` rather than BoringSSL's whole error stack with build paths.
    private static func tlsReason(_ error: any Error) -> String {
        let text = String(describing: error)
        let head = text.prefix { $0 != "(" }
        var reasons: [Substring] = []
        var rest = Substring(text)
        while let range = rest.range(of: "OPENSSL_internal:") {
            rest = rest[range.upperBound...]
            reasons.append(rest.prefix { $0.isUppercase || $0.isNumber || $0 == "_" })
        }
        return reasons.isEmpty ? String(head) : "\(head): \(reasons.joined(separator: ", "))"
    }
}
