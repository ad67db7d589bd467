/// What a probe learns about a media file: the container and each stream. A plain value, safe to pass anywhere.
///
/// Field names and values follow ffprobe's, with one deliberate difference: ``StreamInfo/rotation`` is the
/// clockwise turn a player applies for display (ffprobe's display-matrix rotation is counter-clockwise).
public struct MediaInfo: Sendable, Hashable {
    /// The path as given.
    public var path: String
    /// Short container name(s), e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    public var container: String
    /// Long container name, e.g. `QuickTime / MOV`.
    public var containerLongName: String
    /// Duration in seconds from the container, nil when it does not say.
    public var duration: Double?
    /// File size in bytes.
    public var size: Int64
    /// Overall bit rate in bits per second, nil when unknown.
    public var bitRate: Int64?
    /// Start time in seconds (non-zero for many MPEG-TS files), nil when unknown.
    public var startTime: Double?
    /// Every stream, in file order.
    public var streams: [StreamInfo]
    /// Container metadata tags.
    public var tags: [String: String]
    /// The file stops before the data its index or header describes (a copy cut short): it opens as the whole
    /// clip but cannot be played to its end. See ``InputFile/isTruncated``.
    public var truncated: Bool

    /// The first video stream, if any.
    public var video: StreamInfo? { streams.first { $0.type == .video } }
    /// The first audio stream, if any.
    public var audio: StreamInfo? { streams.first { $0.type == .audio } }
}

/// One stream of a probed file.
public struct StreamInfo: Sendable, Hashable {
    public var index: Int
    public var type: MediaType
    /// Short codec name, e.g. `h264`, `aac`.
    public var codec: String
    public var codecLongName: String?
    /// Codec profile name, e.g. `High`, `LC`.
    public var profile: String?
    public var timeBase: Rational
    /// Start time in seconds, nil when unknown.
    public var startTime: Double?
    /// Duration in seconds, nil when unknown.
    public var duration: Double?
    /// Frame count from the container, nil when it does not say.
    public var frameCount: Int64?
    /// Bit rate in bits per second, nil when unknown.
    public var bitRate: Int64?
    /// Stream language tag, e.g. `eng`.
    public var language: String?
    /// Stream metadata tags.
    public var tags: [String: String]

    // Video
    public var width: Int?
    public var height: Int?
    public var codedWidth: Int?
    public var codedHeight: Int?
    /// Sample (pixel) aspect ratio; nil when the file does not state one (treat as square).
    public var sampleAspectRatio: Rational?
    /// Display aspect ratio, reduced (e.g. 16:9); nil when the sample aspect ratio is unknown.
    public var displayAspectRatio: Rational?
    public var pixelFormat: String?
    /// The lowest frame rate that represents all timestamps exactly (`r_frame_rate`).
    public var realFrameRate: Rational?
    /// Frames divided by duration (`avg_frame_rate`).
    public var averageFrameRate: Rational?
    /// Clockwise degrees the picture must be turned for display: 0, 90, 180 or 270.
    public var rotation: Int
    /// Size a viewer sees: sample aspect ratio applied to the width, then rotation applied.
    public var displayWidth: Int?
    public var displayHeight: Int?

    // Audio
    public var sampleRate: Int?
    public var channels: Int?
    public var channelLayout: String?
    public var sampleFormat: String?

    /// Frames per second as a number: the average rate, else the real one.
    public var fps: Double? {
        (averageFrameRate?.value).flatMap { $0 > 0 ? $0 : nil } ?? realFrameRate?.value
    }
}
