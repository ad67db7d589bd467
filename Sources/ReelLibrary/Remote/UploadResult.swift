/// What the server said about an object it stored.
public struct UploadResult: Sendable, Equatable {
    /// The object's ETag, without quotes. For a multipart upload it is not the MD5 of the bytes (it ends in `-N`).
    public var etag: String
    /// The SHA-256 checksum the server stored (base64; `…-N` for a multipart upload's checksum of checksums), if it
    /// returned one.
    public var checksumSHA256: String?
    /// How many parts were uploaded: 1 for a single PutObject.
    public var parts: Int

    /// A result with `etag`, the server's `checksumSHA256` and the number of `parts`.
    public init(etag: String, checksumSHA256: String?, parts: Int) {
        self.etag = etag
        self.checksumSHA256 = checksumSHA256
        self.parts = parts
    }
}
