/// What to download and how patiently: limits, timeouts and the retry policy.
public struct DownloadRequest: Sendable {
    /// The slowest a body may arrive: fewer than ``bytesPerSecond`` on average over the last ``window`` fails the
    /// attempt (retried and resumed like a dropped connection), so a server trickling a byte now and then cannot
    /// hold a download for ever.
    public struct MinimumRate: Sendable, Equatable {
        public var bytesPerSecond: Int64
        public var window: Duration

        public init(bytesPerSecond: Int64, window: Duration) {
            self.bytesPerSecond = bytesPerSecond
            self.window = window
        }

        /// 1 KiB/s over 30 s.
        public static let standard = MinimumRate(bytesPerSecond: 1024, window: .seconds(30))
    }

    /// The source: ``SignedURL/raw`` goes on the wire, ``SignedURL/redacted`` into every message.
    public var url: SignedURL
    /// Extra request headers (e.g. `Authorization` from the environment). Sent only to the original URL's origin
    /// (scheme, host and port), never after a redirect to another; their values never appear in a message.
    public var headers: [(name: String, value: String)]
    /// The certificate authorities trusted for https (the system's roots plus any PEM bundles).
    public var trust: TrustRoots
    /// The largest body accepted, in bytes; enforced from `Content-Length` before reading and while streaming.
    public var maxSize: Int64
    /// How many redirects one attempt may follow.
    public var maxRedirects: Int
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// How long the server may stay silent (no byte received) before the attempt fails.
    public var idleTimeout: Duration
    /// The slowest a body may arrive (nil: any rate).
    public var minimumRate: MinimumRate?
    /// The longest the whole download may take, every attempt and wait included (nil: no limit).
    public var timeout: Duration?
    /// How many attempts retryable failures (connection errors, timeouts, drops, 408, 429, 5xx) get in all.
    public var maxAttempts: Int
    /// The first retry's delay; each further one doubles it, with jitter, up to ``maxBackoff``.
    public var backoff: Duration
    /// The longest wait between attempts, `Retry-After` included.
    public var maxBackoff: Duration

    /// A request with the usual limits: 4 GiB, 10 redirects, 10 s to connect, 30 s of silence, at least 1 KiB/s
    /// over 30 s, an hour in all, 5 attempts, backoff from 0.5 s up to 30 s.
    public init(
        url: SignedURL, headers: [(name: String, value: String)] = [], trust: TrustRoots = TrustRoots(),
        maxSize: Int64 = 4 << 30,
        maxRedirects: Int = 10, connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30),
        minimumRate: MinimumRate? = .standard, timeout: Duration? = Self.defaultTimeout, maxAttempts: Int = 5,
        backoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30)
    ) {
        self.url = url
        self.headers = headers
        self.trust = trust
        self.maxSize = maxSize
        self.maxRedirects = maxRedirects
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.minimumRate = minimumRate
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// An hour: a 4 GiB body at 1.2 MB/s, far longer than any clip from a provider takes.
    public static let defaultTimeout: Duration = .seconds(3600)
}
