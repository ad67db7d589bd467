import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The body of one request to the server.
enum S3RequestBody: Sendable {
    case empty
    case data(Data)
    case file(path: String, size: Int64, progress: @Sendable (Int64) -> Void)
}

/// An answer from the server, its body read in full.
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The value of the header `name`, if present.
    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The `ETag` header without its quotes.
    var etag: String { Self.unquoted(header("ETag") ?? "") }

    static func unquoted(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }
}

extension S3Client {
    /// Sends a signed request, retrying with exponential backoff and jitter while the failure is worth retrying
    /// (connection trouble, 5xx, throttling). Statuses in `accepting` are returned instead of thrown; with
    /// `errorsIn200`, a 200 whose body is an S3 `<Error>` (CompleteMultipartUpload does this) is an error.
    func send(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [String: String] = [:],
        body: S3RequestBody = .empty, payloadHash: String = SigV4Signer.emptyPayloadHash,
        accepting: Set<Int> = [], errorsIn200: Bool = false, maxBodyBytes: Int = 16 << 20
    ) async throws(RemoteError) -> S3Response {
        var attempt = 1
        while true {
            do throws(RemoteError) {
                return try await sendOnce(
                    method, key: key, query: query, headers: headers, body: body, payloadHash: payloadHash,
                    accepting: accepting, errorsIn200: errorsIn200, maxBodyBytes: maxBodyBytes)
            } catch {
                guard error.isRetryable, attempt < maxAttempts else { throw error }
                try await pause(afterAttempt: attempt)
                attempt += 1
            }
        }
    }

    /// Waits `retryDelay × 2^(attempt−1)` (at most 20 s), scaled by a random factor in 0.5…1.
    private func pause(afterAttempt attempt: Int) async throws(RemoteError) {
        let exponential = retryDelay * (1 << min(attempt - 1, 16))
        let delay = min(exponential, .seconds(20)) * Double.random(in: 0.5...1)
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw .cancelled
        }
    }

    private func sendOnce(
        _ method: HTTPMethod, key: String?, query: [(String, String)], headers: [String: String],
        body: S3RequestBody, payloadHash: String, accepting: Set<Int>, errorsIn200: Bool, maxBodyBytes: Int
    ) async throws(RemoteError) -> S3Response {
        let url = try location.url(key: key, query: query)
        let signature = signer.sign(method: method.rawValue, url: url, headers: headers, payloadHash: payloadHash)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers.merging(signature.headers, uniquingKeysWith: { $1 }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        switch body {
        case .empty:
            if method == .PUT || method == .POST { request.body = .bytes(ByteBuffer()) }
        case .data(let data):
            request.body = .bytes(ByteBuffer(bytes: data))
        case .file(let path, let size, let progress):
            let chunks = FileBody.Chunks(path: path, size: size, chunkSize: 1 << 20, progress: progress)
            request.body = .stream(chunks, length: .known(size))
        }
        let response: S3Response
        do {
            let answer = try await client.execute(request, deadline: .distantFuture)
            let status = Int(answer.status.code)
            let limit = (200..<300).contains(status) ? maxBodyBytes : 1 << 20
            let bytes = try await answer.body.collect(upTo: limit)
            response = S3Response(status: status, headers: answer.headers, body: Data(bytes.readableBytesView))
        } catch {
            throw transportError(error)
        }
        if accepting.contains(response.status) { return response }
        if (200..<300).contains(response.status) {
            if errorsIn200, let xml = S3XMLElement.parse(response.body), xml.name == "Error" {
                throw serverError(status: 500, body: response.body, key: key)
            }
            return response
        }
        throw serverError(status: response.status, body: response.body, key: key)
    }

    /// An S3 error answer in plain words, from its `<Code>` (or the status when there is no body, as for HEAD).
    func serverError(status: Int, body: Data, key: String?) -> RemoteError {
        let xml = S3XMLElement.parse(body)
        let code = xml?.value("Code") ?? ""
        let message = Self.oneLine(xml?.value("Message") ?? "")
        let named = code.isEmpty ? "HTTP \(status)" : code
        switch code {
        case "AccessDenied", "InvalidAccessKeyId", "InvalidSecurity", "InvalidToken", "ExpiredToken",
            "AllAccessDisabled", "AccountProblem", "InvalidClientTokenId", "UnrecognizedClientException":
            return .accessDenied(code: code)
        case "SignatureDoesNotMatch": return .signatureMismatch(code: code)
        case "RequestTimeTooSkewed": return .clockSkew(code: code)
        case "NoSuchBucket": return .noSuchBucket(bucket: location.bucket, code: code)
        case "NoSuchKey": return .noSuchKey(key: key ?? "")
        case "BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "InvalidChecksum":
            return .checksumMismatch(code: code)
        case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            "TooManyRequestsException":
            return .throttled(code: code)
        case "":
            switch status {
            case 401, 403: return .accessDenied(code: named)
            case 404 where key == nil: return .noSuchBucket(bucket: location.bucket, code: named)
            case 404: return .noSuchKey(key: key ?? "")
            case 429, 503: return .throttled(code: named)
            default: return .server(status: status, code: "", message: "")
            }
        default:
            return .server(status: status, code: code, message: message)
        }
    }

    /// A failure to talk to the server at all, in plain words.
    func transportError(_ error: any Error) -> RemoteError {
        let origin = location.origin
        if let tls = TLSError(error, host: location.endpoint.host ?? origin) { return .tls(tls) }
        switch error {
        case let error as RemoteError: return error
        case is CancellationError: return .cancelled
        case let error as HTTPClientError:
            switch error {
            case .cancelled: return .cancelled
            case .connectTimeout, .getConnectionFromPoolTimeout, .deadlineExceeded:
                return .cannotConnect(endpoint: origin, reason: "timed out")
            case .readTimeout: return .cannotConnect(endpoint: origin, reason: "no answer in time")
            case .writeTimeout: return .cannotConnect(endpoint: origin, reason: "the server stopped reading")
            case .remoteConnectionClosed:
                return .cannotConnect(endpoint: origin, reason: "the server closed the connection")
            case .tlsHandshakeTimeout: return .cannotConnect(endpoint: origin, reason: "TLS handshake timed out")
            default: return .cannotConnect(endpoint: origin, reason: String(describing: error))
            }
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return transportError(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return .cannotConnect(endpoint: origin, reason: "cannot resolve \(error.host)")
            }
            return .cannotConnect(endpoint: origin, reason: "no address to connect to")
        case let error as IOError:
            return .cannotConnect(endpoint: origin, reason: Self.errnoReason(error.errnoCode))
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .cannotConnect(endpoint: origin, reason: "timed out")
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed:
                return .cannotConnect(endpoint: origin, reason: "the server closed the connection")
            default: return .cannotConnect(endpoint: origin, reason: String(describing: error))
            }
        default:
            return .cannotConnect(endpoint: origin, reason: String(describing: error))
        }
    }

    private static func errnoReason(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ECONNRESET: "connection reset"
        case ETIMEDOUT: "timed out"
        case EHOSTUNREACH, ENETUNREACH: "unreachable"
        case EPIPE: "the server closed the connection"
        default: String(cString: strerror(code))
        }
    }

    /// A server message as one short line.
    private static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
