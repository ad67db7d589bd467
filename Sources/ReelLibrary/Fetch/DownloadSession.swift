import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One download's attempts: the state that carries from one attempt to the next (bytes kept, the version of the
/// file they belong to, counts) and the rules for redirects, retries and resumes.
final class DownloadSession {
    /// A signed URL expiring sooner than this gets a warning, and a 401/403 on it reads as expiry.
    static let expiryWarningWindow: TimeInterval = 3600

    /// How an attempt failed: worth another attempt (after `Retry-After`, when the server said) or not.
    enum Failure: Error {
        case retry(FetchError, after: Duration?)
        case fatal(FetchError)
    }

    private let request: DownloadRequest
    private let staging: StagingFile
    private let client: HTTPClient
    /// When the whole download must be done (``DownloadRequest/timeout`` from the start).
    private let deadline: ContinuousClock.Instant?
    private var attempts = 0
    private var resumes = 0
    private var restarts = 0
    private var bytesTransferred: Int64 = 0
    /// The version of the file the bytes kept in staging belong to: what `If-Range` sends, and what a 206 must match.
    private var kept: Representation?

    init(request: DownloadRequest, staging: StagingFile, client: HTTPClient, deadline: ContinuousClock.Instant?) {
        self.request = request
        self.staging = staging
        self.client = client
        self.deadline = deadline
    }

    /// Attempts until the body is whole, a failure is final, the attempts run out or the deadline passes (when
    /// whatever failed last, failed because the client was stopped at the deadline).
    nonisolated(nonsending) func run(_ progress: @Sendable (DownloadProgress) -> Void) async -> Result<
        DownloadResult, FetchError
    > {
        while true {
            attempts += 1
            let failure: Failure
            do throws(Failure) {
                return .success(try await attempt(progress))
            } catch {
                failure = error
            }
            if let timedOut { return .failure(timedOut) }
            switch failure {
            case .fatal(let error): return .failure(error)
            case .retry(let error, let after):
                if attempts >= request.maxAttempts { return .failure(error) }
                var wait = delay(after: after)
                if let deadline { wait = min(wait, deadline - ContinuousClock.now) }
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return .failure(.cancelled(url: request.url.redacted))
                }
                if let timedOut { return .failure(timedOut) }
            }
        }
    }

    /// The timeout error, once the deadline has passed.
    private var timedOut: FetchError? {
        guard let deadline, let limit = request.timeout, ContinuousClock.now >= deadline else { return nil }
        return .timedOut(url: request.url.redacted, limit: limit)
    }

    /// The wait before the next attempt: `Retry-After` when given, else exponential backoff with jitter; capped.
    private func delay(after retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, request.maxBackoff) }
        let exponential = request.backoff * Int(1 << min(attempts - 1, 20))
        let capped = min(exponential, request.maxBackoff)
        return capped / 2 + capped / 2 * Double.random(in: 0...1)
    }

    /// One attempt: requests the URL, follows redirects, and streams the body.
    nonisolated(nonsending) private func attempt(_ progress: @Sendable (DownloadProgress) -> Void) async throws(Failure)
        -> DownloadResult
    {
        var current = request.url.raw
        var visited: Set<String> = [current]
        var redirects = 0
        while true {
            let response = try await send(current)
            let status = Int(response.status.code)
            guard (300..<400).contains(status), status != 304,
                let location = response.headers.first(name: "location")
            else { return try await receive(response, from: current, progress) }
            guard let base = URL(string: current), let target = URL(string: location, relativeTo: base)?.absoluteURL,
                ["http", "https"].contains(target.scheme?.lowercased() ?? "")
            else { throw .fatal(.badRedirect(url: Self.redact(current), location: Self.redact(location))) }
            let next = target.absoluteString
            if visited.contains(next) {
                throw .fatal(.redirectLoop(url: request.url.redacted, location: Self.redact(next)))
            }
            if redirects >= request.maxRedirects {
                throw .fatal(.tooManyRedirects(url: request.url.redacted, limit: request.maxRedirects))
            }
            redirects += 1
            visited.insert(next)
            current = next
        }
    }

    /// Sends the GET: extra headers only to the original origin (scheme, host and port), `Range` + `If-Range` when
    /// resuming.
    nonisolated(nonsending) private func send(_ url: String) async throws(Failure) -> HTTPClientResponse {
        var http = HTTPClientRequest(url: url)
        http.headers.add(name: "User-Agent", value: "reel")
        http.headers.add(name: "Accept-Encoding", value: "identity")
        if let origin = Origin(url: url), origin == Origin(url: request.url.raw) {
            for header in request.headers { http.headers.add(name: header.name, value: header.value) }
        }
        if staging.size > 0, let ifRange = kept?.ifRange {
            http.headers.add(name: "Range", value: "bytes=\(staging.size)-")
            http.headers.add(name: "If-Range", value: ifRange)
        }
        do {
            return try await client.execute(http, deadline: .distantFuture)
        } catch {
            throw classify(error, url: url)
        }
    }

    /// Checks the status and streams a 200 or 206 body into staging.
    nonisolated(nonsending) private func receive(
        _ response: HTTPClientResponse, from url: String, _ progress: @Sendable (DownloadProgress) -> Void
    ) async throws(Failure) -> DownloadResult {
        let status = Int(response.status.code)
        let redacted = Self.redact(url)
        let failure = FetchError.http(url: redacted, status: status, reason: response.status.reasonPhrase)
        switch status {
        case 200, 206: break
        case 401, 403:
            throw .fatal(expiry(of: url, status: status) ?? failure)
        case 416 where staging.size > 0:
            try startOver()
            throw .retry(failure, after: .zero)
        case 408, 429, 500..<600:
            throw .retry(failure, after: Self.retryAfter(response.headers.first(name: "retry-after"), now: Date()))
        default: throw .fatal(failure)
        }
        let expected = try startBody(response, url: redacted)
        if let expected, expected > request.maxSize {
            throw .fatal(.tooLarge(url: redacted, limit: request.maxSize, size: expected))
        }
        var stop: Failure?
        var streamError: (any Error)?
        let clock = ContinuousClock()
        var rate = request.minimumRate.map { RateWatch($0, now: clock.now) }
        do {
            for try await buffer in response.body {
                let count = Int64(buffer.readableBytes)
                bytesTransferred += count
                if staging.size + count > request.maxSize {
                    stop = .fatal(.tooLarge(url: redacted, limit: request.maxSize, size: nil))
                    break
                }
                let written = buffer.withUnsafeReadableBytes { bytes in
                    Result { () throws(LibraryError) in try staging.write(bytes) }
                }
                if case .failure(let error) = written {
                    stop = .fatal(.write(error))
                    break
                }
                progress(DownloadProgress(received: staging.size, expected: expected, attempt: attempts))
                if let minimum = rate?.minimum, rate?.add(count, at: clock.now) == false, staging.size != expected {
                    stop = .retry(
                        .tooSlow(url: redacted, minimum: minimum.bytesPerSecond, window: minimum.window), after: nil)
                    break
                }
            }
        } catch {
            streamError = error
        }
        if let stop { throw stop }
        if let streamError, expected == nil || staging.size != expected {
            let failure = classify(streamError, url: url)
            guard case .retry(.connection, _) = failure, let expected else { throw failure }
            throw .retry(.truncated(url: redacted, expected: expected, received: staging.size), after: nil)
        }
        if let expected, staging.size != expected {
            throw .retry(.truncated(url: redacted, expected: expected, received: staging.size), after: nil)
        }
        return DownloadResult(
            size: staging.size, bytesTransferred: bytesTransferred, attempts: attempts, resumes: resumes,
            restarts: restarts, contentType: response.headers.first(name: "content-type"), finalURL: redacted,
            fileName: Self.fileName(disposition: response.headers.first(name: "content-disposition"), url: url),
            warnings: [])
    }

    /// Appends (a 206 continuing the kept bytes of the same version) or starts over (a 200, or a 206 of another
    /// version of the file); returns the whole body's size if known.
    private func startBody(_ response: HTTPClientResponse, url: String) throws(Failure) -> Int64? {
        let headers = response.headers
        var served = Representation(
            etag: headers.first(name: "etag"), lastModified: headers.first(name: "last-modified"), length: nil)
        if response.status == .partialContent {
            guard let range = headers.first(name: "content-range").flatMap(ContentRange.init),
                range.start == staging.size
            else {
                let value = headers.first(name: "content-range") ?? "none"
                throw .fatal(
                    .badResponse(
                        url: url, detail: "206 with Content-Range \(value) does not continue at byte \(staging.size)"))
            }
            served.length = range.total
            if staging.size > 0, let change = kept?.change(to: served) {
                try startOver()
                throw .retry(
                    .badResponse(
                        url: url, detail: "206 of another version of the file (\(change)); kept bytes dropped"),
                    after: .zero)
            }
            if staging.size > 0 { resumes += 1 } else { kept = served }
            return range.total ?? range.end + 1
        }
        if staging.size > 0 { try startOver() }
        served.length = headers.first(name: "content-length").flatMap { Int64($0) }
        kept = served
        return served.length
    }

    /// Throws the kept bytes away (the server is sending the whole body again, or cannot continue).
    private func startOver() throws(Failure) {
        do throws(LibraryError) {
            try staging.restart()
        } catch {
            throw .fatal(.write(error))
        }
        restarts += 1
    }

    /// The expiry wording for a 401/403, when the URL (or the redirect target) has expired or expires within the hour.
    private func expiry(of url: String, status: Int) -> FetchError? {
        let now = Date()
        for candidate in [request.url, SignedURL(url)] {
            if let at = candidate.expiresAt, at.timeIntervalSince(now) < Self.expiryWarningWindow {
                return .expired(url: candidate.redacted, at: at, now: now, status: status)
            }
        }
        return nil
    }

    /// Cancellation is final; timeouts and connection errors are worth retrying.
    private func classify(_ error: any Error, url: String) -> Failure {
        let redacted = Self.redact(url)
        if error is CancellationError || Task.isCancelled { return .fatal(.cancelled(url: redacted)) }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return .fatal(.cancelled(url: redacted))
            case .invalidURL, .emptyHost, .emptyScheme: return .fatal(.unsupportedURL(url: redacted))
            case .connectTimeout:
                return .retry(.connectTimeout(url: redacted, timeout: request.connectTimeout), after: nil)
            case .readTimeout: return .retry(.idleTimeout(url: redacted, timeout: request.idleTimeout), after: nil)
            default: break
            }
        }
        if let tls = TLSError(error, host: URL(string: url)?.host ?? url) { return .fatal(.tls(url: redacted, tls)) }
        let detail = String(describing: error).replacingOccurrences(of: url, with: redacted)
        return .retry(.connection(url: redacted, detail: detail), after: nil)
    }

    /// A URL's form for messages.
    static func redact(_ url: String) -> String { SignedURL(url).redacted }

    /// `Retry-After` in seconds or as an HTTP date, as a wait from `now`.
    static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }

    /// `filename*=` or `filename=` from `Content-Disposition`, else the URL path's last component; never a path.
    static func fileName(disposition: String?, url: String) -> String? {
        var plain: String?
        var extended: String?
        for part in (disposition ?? "").split(separator: ";") {
            let item = part.trimmingCharacters(in: .whitespaces)
            let lowered = item.lowercased()
            if lowered.hasPrefix("filename*=") {
                let value = item.dropFirst("filename*=".count)
                extended = value.components(separatedBy: "''").last?.removingPercentEncoding
            } else if lowered.hasPrefix("filename=") {
                plain = item.dropFirst("filename=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        let name = extended ?? plain ?? URL(string: url)?.lastPathComponent
        guard let last = name.map({ ($0 as NSString).lastPathComponent }), ![".", "..", "/", ""].contains(last) else {
            return nil
        }
        return last
    }
}
