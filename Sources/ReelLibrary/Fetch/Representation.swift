/// Which version of the file the bytes kept in staging belong to: the validators and the whole length the server
/// gave with them. A resumed answer (206) must be of the same version, or the two parts would be glued together.
struct Representation: Equatable {
    var etag: String?
    var lastModified: String?
    /// The whole body's length, when the server said.
    var length: Int64?

    /// What `If-Range` sends: the strong ETag, else Last-Modified.
    var ifRange: String? { etag.flatMap { $0.hasPrefix("W/") ? nil : $0 } ?? lastModified }

    /// How a 206 (its validators, and the total of its `Content-Range`) shows another version, or nil when it is
    /// the same one. The ETag must be the same (a 206 must repeat it); a Last-Modified it repeats must match; a
    /// total it gives must be the length kept.
    func change(to served: Representation) -> String? {
        if etag != nil || served.etag != nil, etag != served.etag {
            return "ETag \(etag ?? "none"), now \(served.etag ?? "none")"
        }
        if let modified = served.lastModified, modified != lastModified {
            return "Last-Modified \(lastModified ?? "none"), now \(modified)"
        }
        if let total = served.length, let length, total != length {
            return "length \(length) bytes, now \(total)"
        }
        return nil
    }
}
