import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// A client for one bucket of an S3-compatible server (AWS S3, Cloudflare R2, MinIO, SeaweedFS…), signing with
/// Signature V4.
///
/// Every call retries with exponential backoff and jitter when the failure may pass (connection trouble, 5xx,
/// `SlowDown`), up to `maxAttempts` tries in all; authentication and other client errors fail at once.
public final class S3Client: Sendable {
    /// The bucket this client talks to.
    public let location: S3Location
    /// Files of at least this many bytes are uploaded in parts.
    public let multipartThreshold: Int64
    /// The size of each part but the last (raised when a file would need more than 10,000 parts).
    public let partSize: Int64
    /// How many parts are in flight at once.
    public let maxConcurrentParts: Int
    /// How many times a request is tried before its failure is thrown.
    public let maxAttempts: Int
    /// The wait before the first retry; it doubles with each further retry (with jitter, at most 20 s).
    public let retryDelay: Duration

    let signer: SigV4Signer
    let client: HTTPClient

    /// The HTTP client used unless another is given: no redirects (a redirected S3 request would need a new
    /// signature), no decompression, connect timeout 10 s, read and write timeouts 120 s, and a failed connection
    /// fails the request at once (this client does the retrying, with backoff). `HTTPClient.shared` instead follows
    /// redirects and keeps retrying a refused connection for 90 s.
    public static let sharedHTTPClient: HTTPClient = makeHTTPClient(tls: nil)

    /// Clients trusting extra CA bundles, one per set of bundles, kept for the life of the process.
    private static let trustingClients = Mutex<[TrustRoots: HTTPClient]>([:])

    /// The HTTP client (as ``sharedHTTPClient``) that trusts `trust`'s bundles besides the system's roots;
    /// ``sharedHTTPClient`` itself when there are none. A bundle that cannot be read or is not PEM is an error.
    public static func httpClient(trusting trust: TrustRoots) throws(TLSError) -> HTTPClient {
        guard !trust.bundles.isEmpty else { return sharedHTTPClient }
        let tls = try trust.clientConfiguration()
        return trustingClients.withLock { clients in
            if let client = clients[trust] { return client }
            let client = makeHTTPClient(tls: tls)
            clients[trust] = client
            return client
        }
    }

    private static func makeHTTPClient(tls: TLSConfiguration?) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(120), write: .seconds(120)),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A client for the bucket at `location`, signing with `credentials`.
    ///
    /// - Parameters:
    ///   - multipartThreshold: files of at least this size are uploaded in parts.
    ///   - partSize: bytes per part (S3 wants at least 5 MiB for every part but the last).
    ///   - maxConcurrentParts: parts in flight at once (each is held in memory while it is sent).
    ///   - maxAttempts: tries per request, the first included (at least 1).
    ///   - retryDelay: the wait before the first retry.
    public init(
        location: S3Location, credentials: S3Credentials, client: HTTPClient = S3Client.sharedHTTPClient,
        multipartThreshold: Int64 = 64 << 20, partSize: Int64 = 16 << 20, maxConcurrentParts: Int = 4,
        maxAttempts: Int = 4, retryDelay: Duration = .milliseconds(250)
    ) {
        self.location = location
        self.signer = SigV4Signer(credentials: credentials, region: location.region)
        self.client = client
        self.multipartThreshold = multipartThreshold
        self.partSize = max(1, partSize)
        self.maxConcurrentParts = max(1, maxConcurrentParts)
        self.maxAttempts = max(1, maxAttempts)
        self.retryDelay = retryDelay
    }

    /// Uploads the file at `path` to `key`. The caller already knows its `size` and `sha256` (lower-case hex), so a
    /// single PutObject reads the file once, to send it. Files of at least `multipartThreshold` bytes go up in parts
    /// (each part read once into memory and hashed), `maxConcurrentParts` at a time; if a part still fails after its
    /// retries, the upload is aborted.
    ///
    /// Every body is sent with `x-amz-checksum-sha256`, so a server that checks it rejects corrupted bytes
    /// (``RemoteError/checksumMismatch(code:)``); the whole file's SHA-256 is also stored as the metadata
    /// `x-amz-meta-sha256` (see ``ObjectInfo/sha256``).
    ///
    /// - Parameter progress: called with the bytes sent so far: during a single PutObject as the file is read (it
    ///   starts again from 0 if the request is retried), in a multipart upload each time a part is stored.
    public func upload(
        fileAt path: String, size: Int64, sha256: String, key: String, contentType: String,
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(RemoteError) -> UploadResult {
        guard let digest = Self.bytes(ofHex: sha256), digest.count == 32 else {
            throw .invalidArgument("\"\(sha256)\" is not a SHA-256 (64 hex digits)")
        }
        guard size >= 0 else { throw .invalidArgument("a file cannot have \(size) bytes") }
        try FileBody.checkReadable(path)
        let hex = sha256.lowercased()
        if size > 0 && size >= multipartThreshold {
            return try await multipartUpload(
                fileAt: path, size: size, sha256: hex, key: key, contentType: contentType, progress: progress)
        }
        let response = try await send(
            .PUT, key: key,
            headers: [
                "content-type": contentType, "x-amz-checksum-sha256": Data(digest).base64EncodedString(),
                "x-amz-meta-sha256": hex,
            ],
            body: .file(path: path, size: size, progress: progress), payloadHash: hex)
        return UploadResult(etag: response.etag, checksumSHA256: response.header("x-amz-checksum-sha256"), parts: 1)
    }

    /// The metadata of `key`, or `nil` if the server answers 404 (no such object; HEAD answers carry no body, so a
    /// missing bucket looks the same). Asks for stored checksums (`x-amz-checksum-mode: ENABLED`). A refusal has no
    /// body to say why either, so a one-byte GET of the key asks for the server's error code (a wrong secret then
    /// reads as ``RemoteError/signatureMismatch(code:)``, not a bare 403).
    public func head(key: String) async throws(RemoteError) -> ObjectInfo? {
        let response: S3Response
        do throws(RemoteError) {
            response = try await send(.HEAD, key: key, headers: ["x-amz-checksum-mode": "ENABLED"], accepting: [404])
        } catch .accessDenied(let code) where code.hasPrefix("HTTP ") {
            throw await refusal(of: key) ?? .accessDenied(code: code)
        }
        if response.status == 404 { return nil }
        guard let size = response.header("Content-Length").flatMap({ Int64($0) }) else {
            throw .invalidResponse("HEAD \(key) has no Content-Length")
        }
        return ObjectInfo(
            size: size, etag: response.etag, checksumSHA256: response.header("x-amz-checksum-sha256"),
            contentType: response.header("Content-Type"), sha256: response.header("x-amz-meta-sha256"))
    }

    /// Why the server refuses requests for `key`, as the error body of a one-byte GET names it; nil when it names
    /// nothing more than a bare status.
    private func refusal(of key: String) async -> RemoteError? {
        do throws(RemoteError) {
            _ = try await send(.GET, key: key, headers: ["range": "bytes=0-0"], accepting: [404, 416], maxBodyBytes: 1)
            return nil
        } catch .accessDenied(let code) where code.hasPrefix("HTTP ") {
            return nil
        } catch {
            switch error {
            case .accessDenied, .signatureMismatch, .clockSkew: return error
            default: return nil
            }
        }
    }

    /// The bytes of `key`; ``RemoteError/noSuchKey(key:)`` if there is no such object.
    public func get(key: String) async throws(RemoteError) -> Data {
        try await send(.GET, key: key, maxBodyBytes: Int.max).body
    }

    /// Deletes `key`. Deleting an object that does not exist succeeds, as on S3.
    public func delete(key: String) async throws(RemoteError) {
        do throws(RemoteError) {
            _ = try await send(.DELETE, key: key)
        } catch .noSuchKey {
            return
        }
    }

    /// Every object whose key starts with `prefix` (all pages of ListObjectsV2, `pageSize` keys per request), in
    /// the server's order (by key).
    public func list(prefix: String, pageSize: Int = 1000) async throws(RemoteError) -> [ObjectSummary] {
        var objects: [ObjectSummary] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(max(1, pageSize)))]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send(.GET, key: nil, query: query)
            guard let xml = S3XMLElement.parse(response.body), xml.name == "ListBucketResult" else {
                throw .invalidResponse("the listing of \(location.bucket) is not a ListBucketResult")
            }
            for entry in xml.children("Contents") {
                guard let key = entry.value("Key"), let size = entry.value("Size").flatMap({ Int64($0) }) else {
                    throw .invalidResponse("the listing of \(location.bucket) has an entry without a key or size")
                }
                objects.append(
                    ObjectSummary(
                        key: key, size: size, etag: S3Response.unquoted(entry.value("ETag") ?? ""),
                        lastModified: entry.value("LastModified").flatMap(Self.date)))
            }
            token = nil
            if xml.value("IsTruncated") == "true" {
                guard let next = xml.value("NextContinuationToken"), !next.isEmpty else {
                    throw .invalidResponse("the listing of \(location.bucket) is truncated but has no continuation")
                }
                token = next
            }
        } while token != nil
        return objects
    }

    /// Creates the bucket (with a location constraint outside `us-east-1` and `auto`). A bucket this account
    /// already owns is fine.
    public func createBucket() async throws(RemoteError) {
        var body = Data()
        if !["us-east-1", "auto", ""].contains(location.region) {
            body = Data(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + S3XMLElement.escape(location.region) + "</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        do throws(RemoteError) {
            _ = try await send(.PUT, key: nil, body: .data(body), payloadHash: Self.sha256Hex(body))
        } catch .server(_, "BucketAlreadyOwnedByYou", _) {
            return
        }
    }

    /// A URL that allows `method` (GET unless said otherwise) on `key` without credentials for `expires` seconds
    /// from `date` (1 to 604800).
    public func presignedURL(key: String, method: String = "GET", expires: Int, date: Date = Date())
        throws(RemoteError) -> URL
    {
        try signer.presignedURL(method: method, url: location.url(key: key), expires: expires, date: date)
    }

    /// SHA-256 of `data`, lower-case hex.
    static func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hexString }

    /// The bytes of a hex string, or `nil` if it is not hex.
    static func bytes(ofHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `2026-11-23T10:00:00.000Z`, with or without the fraction.
    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
