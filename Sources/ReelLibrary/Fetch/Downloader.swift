import AsyncHTTPClient
import Foundation
import NIOCore

/// Downloads a URL into a staging file: streaming and hashing in one pass, following redirects itself, retrying
/// transient failures with backoff, resuming with `Range` after a drop, and enforcing a size limit as bytes arrive.
///
/// Each download gets an HTTP client of its own built from ``configuration`` (its timeouts set from the request;
/// redirects, decompression and the pool's own connection retries off), so the bytes hashed are exactly the bytes served.
public final class Downloader: Sendable {
    /// The HTTP client settings to start from (proxy, TLS, connection pool).
    public let configuration: HTTPClient.Configuration
    private let eventLoopGroup: any EventLoopGroup

    /// A downloader whose clients start from `configuration` and run on `eventLoopGroup`.
    public init(
        configuration: HTTPClient.Configuration = .singletonConfiguration,
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Streams the body into `staging` (which hashes as it writes), following redirects, retrying and resuming.
    /// On return the staging file holds exactly the whole body.
    ///
    /// An expired signed URL fails at once, without a request; one expiring within the hour adds a warning. A body
    /// slower than ``DownloadRequest/minimumRate`` fails its attempt; the whole download, every attempt and wait
    /// included, fails after ``DownloadRequest/timeout``. `progress` is called after every chunk written.
    nonisolated(nonsending) public func download(
        _ request: DownloadRequest, into staging: StagingFile,
        progress: @Sendable (DownloadProgress) -> Void = { _ in }
    ) async throws(FetchError) -> DownloadResult {
        let now = Date()
        let scheme = URL(string: request.url.raw)?.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else { throw .unsupportedURL(url: request.url.redacted) }
        var warnings: [String] = []
        if let expiry = request.url.expiresAt {
            if expiry <= now { throw .expired(url: request.url.redacted, at: expiry, now: now, status: nil) }
            if expiry.timeIntervalSince(now) < DownloadSession.expiryWarningWindow {
                warnings.append(
                    "source URL expires at \(FetchError.iso(expiry)) (\(FetchError.relative(expiry, from: now)))")
            }
        }
        var settings = configuration
        settings.redirectConfiguration = .disallow
        settings.decompression = .disabled
        settings.connectionPool.retryConnectionEstablishment = false
        if !request.trust.bundles.isEmpty {
            do throws(TLSError) {
                settings.tlsConfiguration = try request.trust.clientConfiguration()
            } catch {
                throw .tls(url: request.url.redacted, error)
            }
        }
        settings.timeout = HTTPClient.Configuration.Timeout(
            connect: Self.timeAmount(request.connectTimeout), read: Self.timeAmount(request.idleTimeout))
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: settings)
        let deadline = request.timeout.map { ContinuousClock.now + $0 }
        let session = DownloadSession(request: request, staging: staging, client: client, deadline: deadline)
        let outcome = await withTaskGroup(of: Void.self) { group in
            if let deadline {
                // At the deadline, whatever the client waits for (a connection, a head, body bytes) stops; the
                // session then answers that the download timed out.
                group.addTask {
                    guard (try? await Task.sleep(until: deadline)) != nil else { return }
                    try? await client.shutdown()
                }
            }
            let outcome = await session.run(progress)
            group.cancelAll()
            return outcome
        }
        try? await client.shutdown()
        var result = try outcome.get()
        result.warnings = warnings + result.warnings
        return result
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
