/// What to download and how patiently: limits, timeouts and the retry policy.
public struct DownloadRequest: Sendable {
    /// The source: ``SignedURL/raw`` goes on the wire, ``SignedURL/redacted`` into every message.
    public var url: SignedURL
    /// Extra request headers (e.g. `Authorization` from the environment). Sent only to the original URL's host,
    /// never after a redirect to another host; their values never appear in a message.
    public var headers: [(name: String, value: String)]
    /// The largest body accepted, in bytes; enforced from `Content-Length` before reading and while streaming.
    public var maxSize: Int64
    /// How many redirects one attempt may follow.
    public var maxRedirects: Int
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// How long the server may stay silent (no byte received) before the attempt fails.
    public var idleTimeout: Duration
    /// How many attempts retryable failures (connection errors, timeouts, drops, 408, 429, 5xx) get in all.
    public var maxAttempts: Int
    /// The first retry's delay; each further one doubles it, with jitter, up to ``maxBackoff``.
    public var backoff: Duration
    /// The longest wait between attempts, `Retry-After` included.
    public var maxBackoff: Duration

    /// A request with the usual limits: 4 GiB, 10 redirects, 10 s to connect, 30 s of silence, 5 attempts,
    /// backoff from 0.5 s up to 30 s.
    public init(
        url: SignedURL, headers: [(name: String, value: String)] = [], maxSize: Int64 = 4 << 30,
        maxRedirects: Int = 10, connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30),
        maxAttempts: Int = 5, backoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30)
    ) {
        self.url = url
        self.headers = headers
        self.maxSize = maxSize
        self.maxRedirects = maxRedirects
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }
}
