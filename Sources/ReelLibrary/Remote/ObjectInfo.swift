/// An object's metadata, as HeadObject returns it.
public struct ObjectInfo: Sendable, Equatable {
    /// The size in bytes.
    public var size: Int64
    /// The ETag, without quotes.
    public var etag: String
    /// The SHA-256 checksum the server stored (base64), if it returns checksums (`x-amz-checksum-mode: ENABLED`).
    public var checksumSHA256: String?
    /// The `Content-Type` the object was stored with.
    public var contentType: String?
    /// The SHA-256 (hex) of the whole file, as ``S3Client/upload(fileAt:size:sha256:key:contentType:progress:)``
    /// stores it in the metadata `x-amz-meta-sha256`; `nil` for objects uploaded otherwise.
    public var sha256: String?

    /// Metadata of an object of `size` bytes.
    public init(size: Int64, etag: String, checksumSHA256: String?, contentType: String?, sha256: String? = nil) {
        self.size = size
        self.etag = etag
        self.checksumSHA256 = checksumSHA256
        self.contentType = contentType
        self.sha256 = sha256
    }
}
