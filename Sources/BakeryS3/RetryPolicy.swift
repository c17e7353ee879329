/// How often and how patiently a failed request is tried again.
///
/// Only failures for which ``S3Error/isRetryable`` is true are retried: 5xx responses, 429, throttling codes
/// such as `SlowDown`, and connection refusals, resets and timeouts. The wait before retry *n* (1-based) is
/// `min(maxDelay, baseDelay · 2^(n-1))`, of which a random half is kept ("equal jitter"), so that many clients
/// throttled at once do not come back in step.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means never retry.
    public var maxAttempts: Int
    /// The wait before the first retry, before jitter.
    public var baseDelay: Duration
    /// The longest wait between two attempts.
    public var maxDelay: Duration

    /// Four attempts, waiting about 0.1–0.2 s, 0.2–0.4 s and 0.4–0.8 s between them.
    public static let `default` = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(200), maxDelay: .seconds(10))

    /// One attempt only.
    public static let never = RetryPolicy(maxAttempts: 1, baseDelay: .zero, maxDelay: .zero)

    /// Creates a policy; `maxAttempts` below 1 counts as 1.
    public init(maxAttempts: Int, baseDelay: Duration, maxDelay: Duration) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `retry` (1 for the second attempt).
    public func delay(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        var cap = baseDelay * (1 << exponent)
        if cap > maxDelay { cap = maxDelay }
        let nanoseconds = max(0, cap.nanoseconds)
        let half = nanoseconds / 2
        return .nanoseconds(half + Int64.random(in: 0...max(0, nanoseconds - half)))
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
