import Foundation

/// One object in a listing (ListObjectsV2).
public struct ObjectSummary: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The size in bytes.
    public var size: Int64
    /// The ETag, without quotes.
    public var etag: String
    /// When the object was last written, if the server said and it could be read.
    public var lastModified: Date?

    /// A listed object.
    public init(key: String, size: Int64, etag: String, lastModified: Date?) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}
