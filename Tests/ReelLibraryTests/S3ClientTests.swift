import Crypto
import Foundation
import ReelTestSupport
import Testing

@testable import ReelLibrary

/// The S3 client against a real S3 server (SeaweedFS on loopback, started by the tests). The oracle is the bytes read
/// back from the bucket, compared by SHA-256 with the local file.
@Suite("S3 client against a real server")
struct S3ClientTests {
    let server: S3TestServer

    init() throws { server = try S3TestServer.shared() }

    @Test("createBucket makes an empty bucket, and again succeeds for a bucket it already owns")
    func createBucket() async throws {
        let client = client(bucket: Self.uniqueBucket())
        try await client.createBucket()
        try await client.createBucket()
        #expect(try await client.list(prefix: "") == [])
    }

    @Test("a small file goes up in one PutObject and comes back byte for byte")
    func smallUpload() async throws {
        let client = try await newBucket()
        let file = try Self.randomFile(bytes: 300_000)
        let progress = Recorder<Int64>()
        let result = try await client.upload(
            fileAt: file.path, size: file.size, sha256: file.sha256, key: "clips/small.mp4", contentType: "video/mp4",
            progress: { progress.append($0) })
        #expect(result.parts == 1)
        #expect(!result.etag.isEmpty)
        #expect(progress.values.last == file.size)
        let checksum = try Self.base64SHA256(ofHex: file.sha256)
        #expect(result.checksumSHA256 == checksum, "the server stored the x-amz-checksum-sha256 that was sent")

        let data = try await client.get(key: "clips/small.mp4")
        #expect(Self.sha256(data) == file.sha256)

        let info = try #require(try await client.head(key: "clips/small.mp4"))
        #expect(info.size == file.size)
        #expect(info.contentType == "video/mp4")
        #expect(info.sha256 == file.sha256)
        #expect(info.etag == result.etag)
        #expect(info.checksumSHA256 == checksum)
    }

    @Test("a file above the threshold goes up in 3 parts (5 + 5 + 3 MiB) and comes back byte for byte")
    func multipartUpload() async throws {
        let client = try await newBucket(multipartThreshold: 5 << 20, partSize: 5 << 20, maxConcurrentParts: 2)
        let file = try Self.randomFile(bytes: 13 << 20)
        let progress = Recorder<Int64>()
        let result = try await client.upload(
            fileAt: file.path, size: file.size, sha256: file.sha256, key: "big.mov", contentType: "video/quicktime",
            progress: { progress.append($0) })
        #expect(result.parts == 3)
        #expect(progress.values.count == 3)
        #expect(progress.values.last == file.size)

        let data = try await client.get(key: "big.mov")
        #expect(data.count == 13 << 20)
        #expect(Self.sha256(data) == file.sha256)

        let partDigests = [0..<(5 << 20), (5 << 20)..<(10 << 20), (10 << 20)..<(13 << 20)].map {
            Data(SHA256.hash(data: data[$0]))
        }
        let composite = Data(SHA256.hash(data: partDigests.reduce(Data(), +))).base64EncodedString() + "-3"
        #expect(result.checksumSHA256 == composite, "each part was sent with its SHA-256 and the server kept them")

        let info = try #require(try await client.head(key: "big.mov"))
        #expect(info.size == file.size)
        #expect(info.sha256 == file.sha256)
        #expect(info.checksumSHA256 == composite)
        #expect(try await client.list(prefix: "").map(\.key) == ["big.mov"])
    }

    @Test("SeaweedFS checks each part's x-amz-checksum-sha256 and the checksums listed in CompleteMultipartUpload")
    func corruptedPartChecksum() async throws {
        let client = try await newBucket()
        let created = try await client.send(
            .POST, key: "p.mp4", query: [("uploads", "")], headers: ["x-amz-checksum-algorithm": "SHA256"])
        let uploadID = try #require(S3XMLElement.parse(created.body)?.value("UploadId"))
        let part = Data(repeating: 1, count: 5 << 20)
        let digest = SHA256.hash(data: part)
        let wrong = Data(SHA256.hash(data: Data([2]))).base64EncodedString()
        let query = [("partNumber", "1"), ("uploadId", uploadID)]
        await #expect(throws: RemoteError.checksumMismatch(code: "BadDigest")) {
            _ = try await client.send(
                .PUT, key: "p.mp4", query: query, headers: ["x-amz-checksum-sha256": wrong], body: .data(part),
                payloadHash: digest.map { String(format: "%02x", $0) }.joined())
        }
        let stored = try await client.send(
            .PUT, key: "p.mp4", query: query, headers: ["x-amz-checksum-sha256": Data(digest).base64EncodedString()],
            body: .data(part), payloadHash: digest.map { String(format: "%02x", $0) }.joined())
        let etag = try #require(stored.header("ETag"))
        let completion = Data(
            ("<CompleteMultipartUpload><Part><ChecksumSHA256>\(wrong)</ChecksumSHA256><ETag>\(etag)</ETag>"
                + "<PartNumber>1</PartNumber></Part></CompleteMultipartUpload>").utf8)
        await #expect(throws: RemoteError.checksumMismatch(code: "BadDigest")) {
            _ = try await client.send(
                .POST, key: "p.mp4", query: [("uploadId", uploadID)], body: .data(completion),
                payloadHash: S3Client.sha256Hex(completion), errorsIn200: true)
        }
        _ = try await client.send(.DELETE, key: "p.mp4", query: [("uploadId", uploadID)])
        #expect(try await client.head(key: "p.mp4") == nil)
    }

    @Test("a wrong secret is refused with a clear error that shows no secret")
    func wrongSecret() async throws {
        let bucket = try await newBucket().location.bucket
        let wrong = "WrongSecret" + UUID().uuidString
        let client = client(bucket: bucket, secretAccessKey: wrong)
        let file = try Self.randomFile(bytes: 1000)
        let error = await #expect(throws: RemoteError.signatureMismatch(code: "SignatureDoesNotMatch")) {
            _ = try await client.upload(
                fileAt: file.path, size: file.size, sha256: file.sha256, key: "a", contentType: "video/mp4")
        }
        let text = try #require(error).description
        #expect(text == "signature does not match: check the secret access key (SignatureDoesNotMatch)")
        #expect(!text.contains(wrong))
        #expect(!text.contains(server.secretAccessKey))
        await #expect(
            throws: RemoteError.signatureMismatch(code: "SignatureDoesNotMatch"),
            "a HEAD answer has no body to say why, so the client asks with a one-byte GET"
        ) {
            _ = try await client.head(key: "a")
        }
    }

    @Test("an unknown access key is refused as access denied")
    func unknownAccessKey() async throws {
        let bucket = try await newBucket().location.bucket
        let client = client(bucket: bucket, accessKeyID: "REELNOSUCHKEY0000000")
        let error = await #expect(throws: RemoteError.accessDenied(code: "InvalidAccessKeyId")) {
            _ = try await client.list(prefix: "")
        }
        #expect(error?.description == "access denied (InvalidAccessKeyId)")
    }

    @Test("a body that does not match its SHA-256 is rejected: x-amz-checksum-sha256 is sent and checked")
    func corruptedChecksum() async throws {
        let client = try await newBucket()
        let file = try Self.randomFile(bytes: 50_000)
        let other = Self.sha256(Data("not these bytes".utf8))
        let error = await #expect(throws: RemoteError.checksumMismatch(code: "BadDigest")) {
            _ = try await client.upload(
                fileAt: file.path, size: file.size, sha256: other, key: "bad.mp4", contentType: "video/mp4")
        }
        #expect(error?.description == "checksum mismatch (BadDigest)")
        #expect(try await client.head(key: "bad.mp4") == nil)
    }

    @Test("a SHA-256 that is not 64 hex digits is refused before any request")
    func malformedSHA256() async throws {
        let client = client(bucket: "reel-not-created")
        let file = try Self.randomFile(bytes: 10)
        await #expect(throws: RemoteError.invalidArgument("\"abc\" is not a SHA-256 (64 hex digits)")) {
            _ = try await client.upload(
                fileAt: file.path, size: file.size, sha256: "abc", key: "a", contentType: "video/mp4")
        }
    }

    @Test("a missing file is reported as unreadable before any request")
    func missingFile() async throws {
        let client = client(bucket: "reel-not-created")
        let path = try Fixtures.scratchDirectory().appendingPathComponent("none.mp4").path
        await #expect(throws: RemoteError.unreadableFile(path: path, detail: "No such file or directory")) {
            _ = try await client.upload(
                fileAt: path, size: 10, sha256: String(repeating: "0", count: 64), key: "a", contentType: "video/mp4")
        }
    }

    @Test("a file shorter than its given size is reported as changed, and nothing is stored")
    func fileShorterThanSize() async throws {
        let client = try await newBucket()
        let file = try Self.randomFile(bytes: 3 << 20)
        let error = await #expect(throws: RemoteError.self) {
            _ = try await client.upload(
                fileAt: file.path, size: file.size + 1, sha256: file.sha256, key: "short.mp4",
                contentType: "video/mp4")
        }
        #expect(
            error
                == .unreadableFile(
                    path: file.path, detail: "the file is shorter than expected (it changed during the upload)"))
        #expect(try await client.head(key: "short.mp4") == nil)
    }

    @Test("an empty key is refused before any request")
    func emptyKey() async throws {
        let client = client(bucket: "reel-not-created")
        await #expect(throws: RemoteError.invalidArgument("an object key cannot be empty")) {
            _ = try await client.head(key: "")
        }
    }

    @Test("delete removes the object: head is then nil and get says no such object")
    func deleteThenHead() async throws {
        let client = try await newBucket()
        let file = try Self.randomFile(bytes: 2000)
        _ = try await client.upload(
            fileAt: file.path, size: file.size, sha256: file.sha256, key: "gone.mp4", contentType: "video/mp4")
        #expect(try await client.head(key: "gone.mp4") != nil)
        try await client.delete(key: "gone.mp4")
        #expect(try await client.head(key: "gone.mp4") == nil)
        await #expect(throws: RemoteError.noSuchKey(key: "gone.mp4")) { _ = try await client.get(key: "gone.mp4") }
        try await client.delete(key: "gone.mp4")
    }

    @Test("list returns exactly the keys under a prefix, across several pages")
    func listWithPrefix() async throws {
        let client = try await newBucket()
        let file = try Self.randomFile(bytes: 100)
        let inside = ["runs/1/a.mp4", "runs/1/b.mp4", "runs/1/c/d.mp4", "runs/1/e.mp4", "runs/1/f.mp4"]
        for key in inside + ["runs/10.mp4", "runs/2/a.mp4", "other.mp4"] {
            _ = try await client.upload(
                fileAt: file.path, size: file.size, sha256: file.sha256, key: key, contentType: "video/mp4")
        }
        let listed = try await client.list(prefix: "runs/1/", pageSize: 2)
        #expect(listed.map(\.key) == inside)
        #expect(listed.allSatisfy { $0.size == 100 && !$0.etag.isEmpty && $0.lastModified != nil })
    }

    @Test("a key with spaces, +, ~, unicode, &, =, ( and ) round-trips through put, head, list, get and delete")
    func oddKey() async throws {
        let client = try await newBucket()
        let key = "dir/a b+c~é (1)&=.mp4"
        let file = try Self.randomFile(bytes: 4096)
        _ = try await client.upload(
            fileAt: file.path, size: file.size, sha256: file.sha256, key: key, contentType: "video/mp4")
        #expect(try await client.head(key: key)?.size == 4096)
        #expect(try await client.list(prefix: "dir/").map(\.key) == [key])
        #expect(Self.sha256(try await client.get(key: key)) == file.sha256)
        #expect(try await client.head(key: "dir/a b c~é (1)&=.mp4") == nil, "+ is not read as a space")
        try await client.delete(key: key)
        #expect(try await client.list(prefix: "dir/") == [])
    }

    @Test("a presigned GET URL serves the object without credentials; a tampered one is refused")
    func presignedGet() async throws {
        let client = try await newBucket()
        let file = try Self.randomFile(bytes: 5000)
        _ = try await client.upload(
            fileAt: file.path, size: file.size, sha256: file.sha256, key: "shared file.mp4", contentType: "video/mp4")
        let url = try client.presignedURL(key: "shared file.mp4", expires: 300)
        let fetched = try Shell.run("curl", ["-fsS", url.absoluteString])
        #expect(fetched.status == 0)
        #expect(Self.sha256(fetched.stdoutData) == file.sha256)
        let tampered = url.absoluteString.replacingOccurrences(of: "X-Amz-Expires=300", with: "X-Amz-Expires=301")
        let refused = try Shell.run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", tampered])
        #expect(refused.stdout == "403")
    }

    @Test("a missing bucket is named in the error")
    func missingBucket() async throws {
        let client = client(bucket: "reel-missing-\(UUID().uuidString.prefix(8).lowercased())")
        let error = await #expect(
            throws: RemoteError.noSuchBucket(bucket: client.location.bucket, code: "NoSuchBucket")
        ) {
            _ = try await client.list(prefix: "")
        }
        #expect(error?.description == "no such bucket \"\(client.location.bucket)\" (NoSuchBucket)")
    }

    @Test("a server stopped during a multipart upload: connection refused after the retries, then a restart works")
    func serverStoppedDuringUpload() async throws {
        let own = try S3TestServer.start()
        defer { try? own.remove() }
        let client = client(
            on: own, bucket: Self.uniqueBucket(), multipartThreshold: 5 << 20, partSize: 5 << 20,
            maxConcurrentParts: 1, maxAttempts: 3, retryDelay: .milliseconds(200))
        try await client.createBucket()
        let small = try Self.randomFile(bytes: 1000)
        _ = try await client.upload(
            fileAt: small.path, size: small.size, sha256: small.sha256, key: "before.mp4", contentType: "video/mp4")

        let big = try Self.randomFile(bytes: 11 << 20)
        let stopped = Recorder<Int64>()
        let start = ContinuousClock.now
        let error = await #expect(
            throws: RemoteError.cannotConnect(endpoint: own.endpoint.absoluteString, reason: "connection refused")
        ) {
            _ = try await client.upload(
                fileAt: big.path, size: big.size, sha256: big.sha256, key: "big.mp4", contentType: "video/mp4",
                progress: { sent in
                    if stopped.values.isEmpty { try? own.stop() }
                    stopped.append(sent)
                })
        }
        #expect(stopped.values == [5 << 20], "the server stopped after the first part")
        #expect(ContinuousClock.now - start >= .milliseconds(300), "two retries waited at least 100 + 200 ms")
        #expect(error?.description == "cannot connect to \(own.endpoint.absoluteString) (connection refused)")

        try own.restart()
        #expect(try await client.head(key: "before.mp4")?.size == 1000, "the data survived the restart")
        let result = try await client.upload(
            fileAt: big.path, size: big.size, sha256: big.sha256, key: "big.mp4", contentType: "video/mp4")
        #expect(result.parts == 3)
        #expect(Self.sha256(try await client.get(key: "big.mp4")) == big.sha256)
    }

    // MARK: Helpers

    func client(
        on server: S3TestServer? = nil, bucket: String, accessKeyID: String? = nil, secretAccessKey: String? = nil,
        multipartThreshold: Int64 = 64 << 20, partSize: Int64 = 16 << 20, maxConcurrentParts: Int = 4,
        maxAttempts: Int = 4, retryDelay: Duration = .milliseconds(250)
    ) -> S3Client {
        let server = server ?? self.server
        return S3Client(
            location: S3Location(endpoint: server.endpoint, bucket: bucket, region: server.region),
            credentials: S3Credentials(
                accessKeyID: accessKeyID ?? server.accessKeyID,
                secretAccessKey: secretAccessKey ?? server.secretAccessKey),
            multipartThreshold: multipartThreshold, partSize: partSize, maxConcurrentParts: maxConcurrentParts,
            maxAttempts: maxAttempts, retryDelay: retryDelay)
    }

    /// A client for a new bucket of its own.
    func newBucket(multipartThreshold: Int64 = 64 << 20, partSize: Int64 = 16 << 20, maxConcurrentParts: Int = 4)
        async throws -> S3Client
    {
        let client = client(
            bucket: Self.uniqueBucket(), multipartThreshold: multipartThreshold, partSize: partSize,
            maxConcurrentParts: maxConcurrentParts)
        try await client.createBucket()
        return client
    }

    static func uniqueBucket() -> String { "reel-\(UUID().uuidString.prefix(13).lowercased())" }

    /// A new file of `bytes` pseudo-random bytes (SplitMix64 from a random seed), with its size and SHA-256.
    static func randomFile(bytes: Int) throws -> (path: String, size: Int64, sha256: String) {
        var state = UInt64.random(in: 0...UInt64.max)
        var data = Data(count: bytes)
        data.withUnsafeMutableBytes { buffer in
            for offset in stride(from: 0, to: buffer.count, by: 8) {
                state &+= 0x9E37_79B9_7F4A_7C15
                var word = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
                word = (word ^ (word >> 27)) &* 0x94D0_49BB_1331_11EB
                word ^= word >> 31
                for byte in 0..<min(8, buffer.count - offset) {
                    buffer[offset + byte] = UInt8(truncatingIfNeeded: word >> (8 * byte))
                }
            }
        }
        let path = try Fixtures.scratchDirectory().appendingPathComponent("file.bin").path
        try data.write(to: URL(fileURLWithPath: path))
        return (path, Int64(bytes), sha256(data))
    }

    /// The base64 form of a hex SHA-256, as in `x-amz-checksum-sha256`.
    static func base64SHA256(ofHex hex: String) throws -> String {
        let bytes = stride(from: 0, to: hex.count, by: 2).compactMap { offset -> UInt8? in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)
        }
        try #require(bytes.count == 32)
        return Data(bytes).base64EncodedString()
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}

/// Values appended from `@Sendable` callbacks.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) { lock.withLock { stored.append(value) } }
    var values: [Value] { lock.withLock { stored } }
}
