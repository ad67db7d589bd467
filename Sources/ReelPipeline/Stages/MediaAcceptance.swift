import ReelAV

/// What import and fetch keep as media, decided from the probe: the one rule `reel library import`, `reel fetch`
/// and the pipeline's fetch stage apply before anything is kept.
public struct MediaAcceptance: Sendable, Hashable {
    /// Keep a truncated file (it is recorded as truncated in its probe).
    public var allowTruncated: Bool

    public init(allowTruncated: Bool = false) {
        self.allowTruncated = allowTruncated
    }

    /// Throws when `info` is not usable media: no audio or video stream at all, or (unless allowed) a file that
    /// stops before the data it describes. `name` is what the error calls the file (default: the probed path).
    public func check(_ info: MediaInfo, as name: String? = nil) throws(MediaRefusal) {
        let file = name ?? info.path
        guard info.video != nil || info.audio != nil else { throw .noStreams(file: file) }
        if info.truncated && !allowTruncated { throw .truncated(file: file) }
    }
}

/// Why a probed file is not kept as media.
public enum MediaRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// libav opened the file but found neither audio nor video in it (a cut header, a container of nothing).
    case noStreams(file: String)
    /// The file ends before the data its index or header describes (see ``InputFile/isTruncated``).
    case truncated(file: String)

    public var description: String {
        switch self {
        case .noStreams(let file):
            "\(file): no audio or video streams; not kept (a plain file can be imported with --kind other)"
        case .truncated(let file):
            "\(file): truncated: the file ends before the data its index describes; not kept "
                + "(reel library import --allow-truncated keeps it)"
        }
    }
}
