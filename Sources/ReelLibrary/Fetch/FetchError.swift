import Foundation

/// Why a download failed. Every description is one line naming the (redacted) URL and what went wrong; no
/// description ever holds a query token or a header value.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not http or https.
    case unsupportedURL(url: String)
    /// The signed URL had expired (`status` nil: found before any request) or the server refused it (401/403)
    /// when it had expired or was about to.
    case expired(url: String, at: Date, now: Date, status: Int?)
    /// The server answered with an error status.
    case http(url: String, status: Int, reason: String)
    /// A redirect led back to a URL already visited.
    case redirectLoop(url: String, location: String)
    /// More redirects than allowed.
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect without a usable `Location`.
    case badRedirect(url: String, location: String)
    /// Connecting took longer than allowed.
    case connectTimeout(url: String, timeout: Duration)
    /// The server sent nothing for longer than allowed.
    case idleTimeout(url: String, timeout: Duration)
    /// The body came slower than `minimum` bytes a second over `window` (the minimum-rate watchdog).
    case tooSlow(url: String, minimum: Int64, window: Duration)
    /// The whole download, attempts and waits included, took longer than `limit`.
    case timedOut(url: String, limit: Duration)
    /// The connection failed or broke.
    case connection(url: String, detail: String)
    /// The body ended before the length the server announced.
    case truncated(url: String, expected: Int64, received: Int64)
    /// The body is (`size` known) or grew (`size` nil) larger than the limit.
    case tooLarge(url: String, limit: Int64, size: Int64?)
    /// The server's answer cannot be used (e.g. a `Content-Range` that does not fit).
    case badResponse(url: String, detail: String)
    /// The TLS connection failed (an untrusted certificate, a bad CA file…).
    case tls(url: String, TLSError)
    /// The staging file could not be written.
    case write(LibraryError)
    /// The task was cancelled.
    case cancelled(url: String)

    /// One line naming the (redacted) URL and what went wrong.
    public var description: String {
        switch self {
        case .unsupportedURL(let url): "\(url): not an http or https URL"
        case .expired(let url, let at, let now, let status):
            Self.expiryWording(url: url, at: at, now: now, status: status)
        case .http(let url, let status, let reason): "GET \(url): HTTP \(status) \(reason)"
        case .redirectLoop(let url, let location): "GET \(url): redirect loop (back to \(location))"
        case .tooManyRedirects(let url, let limit): "GET \(url): more than \(limit) redirects"
        case .badRedirect(let url, let location): "GET \(url): redirect to an unusable location \"\(location)\""
        case .connectTimeout(let url, let timeout):
            "GET \(url): could not connect within \(Self.seconds(timeout)) (connect timeout)"
        case .idleTimeout(let url, let timeout):
            "GET \(url): no data received for \(Self.seconds(timeout)) (idle timeout)"
        case .tooSlow(let url, let minimum, let window):
            "GET \(url): slower than \(Self.bytes(minimum))/s for \(Self.seconds(window)) (minimum rate)"
        case .timedOut(let url, let limit): "GET \(url): timed out after \(Self.span(limit))"
        case .connection(let url, let detail): "GET \(url): connection failed: \(detail)"
        case .truncated(let url, let expected, let received):
            "GET \(url): body ended after \(received) of \(expected) bytes (truncated)"
        case .tooLarge(let url, let limit, let size?):
            "GET \(url): body is \(ByteCount.text(size, units: .init(of: limit))), over the "
                + "\(ByteCount.text(limit, units: .init(of: limit))) limit"
        case .tooLarge(let url, let limit, nil):
            "GET \(url): body passed the \(ByteCount.text(limit, units: .init(of: limit))) limit; stopped reading"
        case .badResponse(let url, let detail): "GET \(url): \(detail)"
        case .tls(let url, let error): "GET \(url): \(error)"
        case .write(let error): error.description
        case .cancelled(let url): "GET \(url): cancelled"
        }
    }

    /// `source URL expired at 2026-11-20T10:00:00Z (3 days ago)`, with the server's refusal when there was one.
    static func expiryWording(url: String, at: Date, now: Date, status: Int?) -> String {
        let when = "\(iso(at)) (\(relative(at, from: now)))"
        guard let status else { return "source URL expired at \(when): \(url)" }
        if at <= now { return "source URL expired at \(when): GET \(url) was refused with HTTP \(status)" }
        return "source URL expired: it expires at \(when) by this machine's clock, but GET \(url) was refused "
            + "with HTTP \(status) (the signature has lapsed or the clocks disagree)"
    }

    /// `2026-11-20T10:00:00Z`.
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// `3 days ago`, `in 4 minutes`, `just now`.
    static func relative(_ date: Date, from now: Date) -> String {
        let seconds = Int(abs(date.timeIntervalSince(now)))
        let (count, unit): (Int, String) =
            switch seconds {
            case ..<60: (seconds, "second")
            case ..<3600: (seconds / 60, "minute")
            case ..<86400: (seconds / 3600, "hour")
            default: (seconds / 86400, "day")
            }
        if count == 0 { return "just now" }
        let amount = "\(count) \(unit)\(count == 1 ? "" : "s")"
        return date < now ? "\(amount) ago" : "in \(amount)"
    }

    /// `4 GiB`, `1.5 MiB`, `300 bytes`.
    static func bytes(_ count: Int64) -> String { ByteCount.text(count, units: .binary) }

    /// `1 h`, `10 min`, `1 h 30 min`, `90 s`: a limit as a person would set it.
    static func span(_ duration: Duration) -> String {
        let whole = duration.components.seconds
        guard duration.components.attoseconds == 0, whole >= 60, whole % 60 == 0 else { return seconds(duration) }
        let (hours, minutes) = (whole / 3600, whole % 3600 / 60)
        return [hours > 0 ? "\(hours) h" : nil, minutes > 0 ? "\(minutes) min" : nil].compactMap { $0 }.joined(
            separator: " ")
    }

    /// `30 s`, `0.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
