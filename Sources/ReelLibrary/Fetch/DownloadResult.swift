/// What a finished download got and what it took.
public struct DownloadResult: Sendable {
    /// Bytes of the body, all in the staging file.
    public var size: Int64
    /// Body bytes received over all attempts (about ``size`` when resumes worked; more after restarts).
    public var bytesTransferred: Int64
    /// Requests for the body made, redirects not counted.
    public var attempts: Int
    /// Attempts that continued from where an earlier one stopped (a 206 answer to `Range`).
    public var resumes: Int
    /// Times the bytes kept so far were thrown away because the server sent the whole body again.
    public var restarts: Int
    /// The body's `Content-Type`, if the server said.
    public var contentType: String?
    /// The URL the body came from after redirects, redacted.
    public var finalURL: String
    /// A file name from `Content-Disposition`, else the final URL path's last component.
    public var fileName: String?
    /// Things worth telling the user that did not stop the download (e.g. a source URL about to expire).
    public var warnings: [String]
}
