/// Why a request to an S3-compatible remote failed. Every case reads as one line in plain words, ending with the
/// server's error code where there is one. No case ever holds a secret, a signature or an `Authorization` header.
public enum RemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server refused the credentials or the request (`AccessDenied`, `InvalidAccessKeyId`, a bare 403…).
    case accessDenied(code: String)
    /// The signature did not match: the secret access key is wrong (or the request was altered on the way).
    case signatureMismatch(code: String)
    /// The signature's date is too far from the server's clock.
    case clockSkew(code: String)
    /// The bucket does not exist.
    case noSuchBucket(bucket: String, code: String)
    /// The object does not exist.
    case noSuchKey(key: String)
    /// The server computed a different checksum of the body than the one sent (`BadDigest`,
    /// `XAmzContentSHA256Mismatch`, `InvalidDigest`…): the body was corrupted, or the caller's hash is wrong.
    case checksumMismatch(code: String)
    /// The server asks the client to slow down (`SlowDown`, 503, 429), and it still did after every retry.
    case throttled(code: String)
    /// Any other error the server reported: its HTTP status, its code (if any) and its message (one line, short).
    case server(status: Int, code: String, message: String)
    /// No connection could be made or kept (refused, reset, timed out, DNS…).
    case cannotConnect(endpoint: String, reason: String)
    /// The TLS connection failed: an untrusted certificate, a bad CA file…
    case tls(TLSError)
    /// The server's answer could not be understood.
    case invalidResponse(String)
    /// A local file cannot be read.
    case unreadableFile(path: String, detail: String)
    /// An argument cannot be used (a malformed SHA-256, a part size S3 does not allow…).
    case invalidArgument(String)
    /// The task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .accessDenied(let code): "access denied (\(code))"
        case .signatureMismatch(let code): "signature does not match: check the secret access key (\(code))"
        case .clockSkew(let code): "this computer's clock is too far from the server's: correct the clock (\(code))"
        case .noSuchBucket(let bucket, let code): "no such bucket \"\(bucket)\" (\(code))"
        case .noSuchKey(let key): "no such object \"\(key)\" (NoSuchKey)"
        case .checksumMismatch(let code): "checksum mismatch (\(code))"
        case .throttled(let code): "the server is throttling requests; try again later (\(code))"
        case .server(let status, let code, let message):
            switch (code.isEmpty, message.isEmpty) {
            case (true, true): "server error (HTTP \(status))"
            case (true, false): "\(message) (HTTP \(status))"
            case (false, true): "server error (\(code), HTTP \(status))"
            case (false, false): "\(message) (\(code), HTTP \(status))"
            }
        case .cannotConnect(let endpoint, let reason): "cannot connect to \(endpoint) (\(reason))"
        case .tls(let error): error.description
        case .invalidResponse(let detail): "unexpected answer from the server: \(detail)"
        case .unreadableFile(let path, let detail): "\(path): \(detail)"
        case .invalidArgument(let message): message
        case .cancelled: "cancelled"
        }
    }

    /// Whether trying the same request again later may succeed (server errors, throttling, connection trouble).
    var isRetryable: Bool {
        switch self {
        case .throttled, .cannotConnect: true
        case .server(let status, let code, _):
            status >= 500 || status == 408 || status == 429 || code == "RequestTimeout"
        case .accessDenied, .signatureMismatch, .clockSkew, .noSuchBucket, .noSuchKey, .checksumMismatch,
            .tls, .invalidResponse, .unreadableFile, .invalidArgument, .cancelled:
            false
        }
    }
}
