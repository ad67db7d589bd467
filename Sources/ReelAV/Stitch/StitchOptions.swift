/// How a stitch joins its inputs.
public enum StitchMode: String, Sendable, Codable, CaseIterable {
    /// Copy when every input is compatible, otherwise re-encode.
    case auto
    /// Remux packets without decoding; fails when the inputs are not compatible.
    case copy
    /// Decode everything and encode one H.264 + AAC stream.
    case reencode
}

/// How a picture of another shape goes into the output frame when re-encoding.
public enum FitMode: String, Sendable, Codable, CaseIterable {
    /// Scale to fit inside and fill the rest with black (letterbox / pillarbox).
    case pad
    /// Scale to cover the frame and cut what sticks out.
    case crop
}

/// Everything a stitch can be asked; `nil` means "take it from the first input".
public struct StitchOptions: Sendable, Hashable {
    public var mode: StitchMode
    /// Output width and height (even); nil for the first input's display size.
    public var width: Int?
    public var height: Int?
    /// Output frame rate; nil for the first input's.
    public var frameRate: Rational?
    public var fit: FitMode
    /// Output audio sample rate and channel count.
    public var audioSampleRate: Int
    public var audioChannels: Int
    /// libx264 preset and constant rate factor.
    public var preset: String
    public var crf: Int
    /// libx264 threads. Fixed (not "one per core") because x264's output depends on it: the same inputs and
    /// options then give byte-identical files on any machine.
    public var encoderThreads: Int
    /// The largest input frame accepted (and the largest output frame made).
    public var pixelLimit: PixelLimit

    public init(
        mode: StitchMode = .auto, width: Int? = nil, height: Int? = nil, frameRate: Rational? = nil,
        fit: FitMode = .pad, audioSampleRate: Int = 48000, audioChannels: Int = 2, preset: String = "veryfast",
        crf: Int = 23, encoderThreads: Int = 4, pixelLimit: PixelLimit = .standard
    ) {
        self.mode = mode
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.fit = fit
        self.audioSampleRate = audioSampleRate
        self.audioChannels = audioChannels
        self.preset = preset
        self.crf = crf
        self.encoderThreads = encoderThreads
        self.pixelLimit = pixelLimit
    }
}
