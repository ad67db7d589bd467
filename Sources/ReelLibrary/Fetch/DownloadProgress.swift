/// How far a download is: reported after every chunk written.
public struct DownloadProgress: Sendable, Equatable {
    /// Bytes in the staging file (a resumed attempt starts from what earlier ones kept).
    public var received: Int64
    /// The whole body's size, when the server said.
    public var expected: Int64?
    /// Which attempt is running, from 1.
    public var attempt: Int
}
