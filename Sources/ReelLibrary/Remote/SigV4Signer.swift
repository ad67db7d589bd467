import Crypto
import Foundation

/// AWS Signature Version 4 (HMAC-SHA256), as S3 and S3-compatible servers check it: in the `Authorization` header,
/// or in the query string of a presigned URL.
///
/// Paths are canonicalized with S3's rules: each segment is percent-encoded except unreserved characters and `/` is
/// kept (S3 does not encode twice). Query parameters are decoded, re-encoded and sorted.
public struct SigV4Signer: Sendable {
    /// The keys to sign with.
    public var credentials: S3Credentials
    /// The region in the credential scope (`us-east-1`, `auto` for R2…).
    public var region: String
    /// The service in the credential scope: `s3`.
    public var service: String

    /// The payload hash of requests whose body is not signed (presigned URLs).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The SHA-256 hex of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// A signer for `credentials` in `region` for `service`.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A signed request: the headers to add to it, and the steps that led to the signature (for tests and debugging;
    /// they hold no secret).
    public struct Signature: Sendable, Equatable {
        /// The headers to send in addition to the caller's: `Authorization`, `x-amz-date`, `x-amz-content-sha256`,
        /// `host`, and `x-amz-security-token` with temporary credentials.
        public var headers: [String: String]
        /// The canonical request that was hashed.
        public var canonicalRequest: String
        /// The string that was signed.
        public var stringToSign: String
        /// The signature, lower-case hex.
        public var signature: String
    }

    /// Signs a request to `url` with `headers` (all of them are signed; names are case-insensitive) whose body has
    /// the SHA-256 hex `payloadHash` (or ``unsignedPayload``), made at `date`.
    public func sign(
        method: String, url: URL, headers: [String: String] = [:], payloadHash: String, date: Date = Date()
    ) -> Signature {
        let stamp = Self.timestamp(date)
        var added = ["x-amz-date": stamp, "x-amz-content-sha256": payloadHash]
        if !headers.keys.contains(where: { $0.lowercased() == "host" }) { added["host"] = Self.hostHeader(of: url) }
        if let token = credentials.sessionToken { added["x-amz-security-token"] = token }
        var all = [String: String]()
        for (name, value) in headers.merging(added, uniquingKeysWith: { $1 }) { all[name.lowercased()] = value }
        let names = all.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(Self.trimmed(all[$0] ?? ""))\n" }.joined()
        let components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        let canonical = [
            method.uppercased(),
            S3Encoding.canonicalPath(ofEncoded: components?.percentEncodedPath ?? url.path),
            S3Encoding.canonicalQuery(S3Encoding.queryItems(ofEncoded: components?.percentEncodedQuery)),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let toSign = stringToSign(canonicalRequest: canonical, date: date)
        let signature = self.signature(of: toSign, date: date)
        added["Authorization"] =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(date)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(headers: added, canonicalRequest: canonical, stringToSign: toSign, signature: signature)
    }

    /// A URL that allows `method` on `url` without credentials until `expires` seconds after `date` (query-string
    /// authentication; only `host` is signed and the body is not). S3 accepts 1 to 604800 seconds (7 days).
    public func presignedURL(method: String = "GET", url: URL, expires: Int, date: Date = Date()) throws(RemoteError)
        -> URL
    {
        guard (1...604_800).contains(expires) else {
            throw .invalidArgument("a presigned URL expires after 1 to 604800 seconds, not \(expires)")
        }
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else {
            throw .invalidArgument("cannot read the URL \(url.absoluteString)")
        }
        var query = S3Encoding.queryItems(ofEncoded: components.percentEncodedQuery)
        query += [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(date))"),
            ("X-Amz-Date", Self.timestamp(date)),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        let canonicalQuery = S3Encoding.canonicalQuery(query)
        let canonical = [
            method.uppercased(),
            S3Encoding.canonicalPath(ofEncoded: components.percentEncodedPath),
            canonicalQuery,
            "host:\(Self.hostHeader(of: url))\n",
            "host",
            Self.unsignedPayload,
        ].joined(separator: "\n")
        let signature = signature(of: stringToSign(canonicalRequest: canonical, date: date), date: date)
        components.percentEncodedPath = S3Encoding.canonicalPath(ofEncoded: components.percentEncodedPath)
        components.percentEncodedQuery = canonicalQuery + "&X-Amz-Signature=" + signature
        guard let signed = components.url else {
            throw .invalidArgument("cannot make a presigned URL of \(url.absoluteString)")
        }
        return signed
    }

    /// The string to sign for `canonicalRequest` made at `date`.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        let hash = SHA256.hash(data: Data(canonicalRequest.utf8)).hexString
        return ["AWS4-HMAC-SHA256", Self.timestamp(date), scope(date), hash].joined(separator: "\n")
    }

    /// The key that signs requests of `secret` on `day` (`yyyyMMdd`, UTC) in `region` for `service`.
    public static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        let dateKey = hmac(key: SymmetricKey(data: Data("AWS4\(secret)".utf8)), day)
        let regionKey = hmac(key: dateKey, region)
        let serviceKey = hmac(key: regionKey, service)
        return hmac(key: serviceKey, "aws4_request")
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, as in `x-amz-date`.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T" + pad(parts.hour, 2)
            + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }

    private func scope(_ date: Date) -> String {
        "\(Self.timestamp(date).prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func signature(of stringToSign: String, date: Date) -> String {
        let key = Self.signingKey(
            secret: credentials.secretAccessKey, day: String(Self.timestamp(date).prefix(8)), region: region,
            service: service)
        return Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)).hexString
    }

    private static func hmac(key: SymmetricKey, _ text: String) -> SymmetricKey {
        SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
    }

    /// `host[:port]`, the port only when it is not the scheme's default.
    static func hostHeader(of url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let port = url.port else { return bracketed }
        let scheme = url.scheme?.lowercased()
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// A header value with its ends trimmed and runs of spaces inside collapsed to one.
    private static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex of the bytes.
    var hexString: String {
        var text = ""
        for byte in self {
            text += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }
        return text
    }
}
