import Foundation

/// A source URL as Reel keeps it: when it expires (for signed URLs from AI providers and CDNs), and a form with
/// everything that could be a secret replaced by `REDACTED`, which is the only form ever logged or stored.
///
/// Expiry is read from JWT query tokens (`exp`), AWS presigned URLs (`X-Amz-Date` + `X-Amz-Expires`), CloudFront
/// (`Expires`), Google Cloud Storage (`X-Goog-Date` + `X-Goog-Expires`) and Azure SAS (`se`).
public struct SignedURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL exactly as given (with its secrets): for making the request, never for printing.
    public let raw: String
    /// When the URL stops working, if it says.
    public let expiresAt: Date?

    public init(_ raw: String) {
        self.raw = raw
        self.expiresAt = Self.expiry(of: URLComponents(string: raw)?.queryItems ?? [])
    }

    /// The URL with everything that could be a credential replaced by `REDACTED` (see ``URLRedaction``): query
    /// values unless their name is known to be safe (`width`, `format`, `v`…), user and password, the fragment;
    /// a URL nested in a query value is redacted the same way.
    public var redacted: String { URLRedaction.redact(raw).text }

    public var description: String { redacted }

    /// The pieces `redacted` hides (as written and percent-decoded), so callers can keep them out of other text.
    public var secretValues: [String] { URLRedaction.redact(raw).hidden }

    /// Whether the URL has expired at `date`.
    public func isExpired(at date: Date = Date()) -> Bool { expiresAt.map { $0 <= date } ?? false }

    static func expiry(of items: [URLQueryItem]) -> Date? {
        func value(_ name: String) -> String? {
            items.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        if let date = value("X-Amz-Date").flatMap(compactDate),
            let seconds = value("X-Amz-Expires").flatMap(Double.init)
        {
            return date.addingTimeInterval(seconds)
        }
        if let date = value("X-Goog-Date").flatMap(compactDate),
            let seconds = value("X-Goog-Expires").flatMap(Double.init)
        {
            return date.addingTimeInterval(seconds)
        }
        if let epoch = value("Expires").flatMap(Double.init) { return Date(timeIntervalSince1970: epoch) }
        if let sas = value("se"), let date = ISO8601DateFormatter().date(from: sas) { return date }
        for item in items {
            if let token = item.value, let expiry = JWT.expiry(of: token) { return expiry }
        }
        return nil
    }

    /// `20261120T100000Z`, as AWS and Google sign with.
    static func compactDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }
}

/// Just enough of JSON Web Tokens to read `exp` (no signature check: the provider checks it).
enum JWT {
    static func looksLikeJWT(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].hasPrefix("eyJ") && parts.allSatisfy { !$0.isEmpty }
    }

    static func expiry(of token: String) -> Date? {
        guard looksLikeJWT(token) else { return nil }
        var payload = String(token.split(separator: ".")[1])
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        guard let data = Data(base64Encoded: payload),
            let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let exp = (claims["exp"] as? NSNumber)?.doubleValue
        else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}
