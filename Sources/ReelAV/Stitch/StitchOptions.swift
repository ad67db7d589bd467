/// How a stitch joins its inputs.
public enum StitchMode: String, Sendable, Codable, CaseIterable {
    /// Copy when every input is compatible, otherwise re-encode.
    case auto
    /// Remux packets without decoding; fails when the inputs are not compatible.
    case copy
    /// Decode everything and encode one video and one audio stream (H.264 + AAC unless the codec or container
    /// says otherwise).
    case reencode
}

/// How a picture of another shape goes into the output frame when re-encoding.
public enum FitMode: String, Sendable, Codable, CaseIterable {
    /// Scale to fit inside and fill the rest with black (letterbox / pillarbox).
    case pad
    /// Scale to cover the frame and cut what sticks out.
    case crop
}

/// The video codec a re-encoding stitch writes.
public enum VideoCodec: String, Sendable, Codable, CaseIterable {
    /// H.264 with libx264.
    case h264
    /// HEVC (H.265) with libx265, tagged `hvc1` in MP4 and MOV so Apple's players open it.
    case hevc
    /// VP9 with libvpx, in constant-quality mode (WebM and Matroska).
    case vp9

    /// The libav encoder.
    var encoder: String {
        switch self {
        case .h264: "libx264"
        case .hevc: "libx265"
        case .vp9: "libvpx-vp9"
        }
    }

    /// The constant rate factors the encoder takes: 0-51 for x264 and x265, 0-63 for libvpx.
    public var crfs: ClosedRange<Int> { self == .vp9 ? 0...63 : 0...51 }

    /// Encoder-private options for a preset and CRF (x265 is told to log nothing of its own on stderr). libvpx has
    /// no presets: the x264 names map onto its speed levels, `ultrafast` to `veryfast` onto the realtime deadline
    /// (cpu-used 8, 7, 6), the rest onto the good deadline from cpu-used 5 (`faster`) down to 0 (`veryslow`,
    /// `placebo`).
    func encoderOptions(preset: String, crf: Int) -> [String: String] {
        switch self {
        case .h264: return ["preset": preset, "crf": "\(crf)"]
        case .hevc: return ["preset": preset, "crf": "\(crf)", "x265-params": "log-level=none"]
        case .vp9:
            let speed = max(0, 8 - (StitchOptions.presets.firstIndex(of: preset) ?? 0))
            return [
                "crf": "\(crf)", "deadline": speed >= 6 ? "realtime" : "good", "cpu-used": "\(speed)", "row-mt": "1",
            ]
        }
    }

    /// The bit rate the encoder is given: 0 for libvpx (constant quality: libav's 200 kb/s default would cap
    /// it), nil to leave the default.
    var bitRate: Int? { self == .vp9 ? 0 : nil }
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
    /// The codec when re-encoding; nil for the container's default (H.264, VP9 in WebM), and in copy mode for
    /// whatever the inputs share. A codec other than the inputs' makes `auto` re-encode.
    public var videoCodec: VideoCodec?
    /// Encoder preset and constant rate factor (libx264 and libx265 take the same names and range; VP9 maps the
    /// names onto libvpx's speeds and takes CRFs up to 63).
    public var preset: String
    public var crf: Int
    /// libx264 threads. Fixed (not "one per core") because x264's output depends on it: the same inputs and
    /// options then give byte-identical files on any machine.
    public var encoderThreads: Int
    /// The largest input frame accepted (and the largest output frame made).
    public var pixelLimit: PixelLimit
    /// The part kept of each trimmed input, by position (the first input is 1).
    public var trims: [Int: Trim] = [:]
    /// A fade from black at the start and to black at the end; nil for none.
    public var fade: Fade?
    /// The transition at every boundary that ``transitions`` names none for; nil for cuts.
    public var transition: Transition?
    /// The transition into each input, by position (from 2), over the default (``transition(into:)``).
    public var transitions: [Int: Transition] = [:]
    /// Seconds each still-image input (a PNG or JPEG title card) is shown, by position; a still without one takes
    /// ``imageDuration``.
    public var imageDurations: [Int: Double] = [:]
    /// Seconds a still-image input is shown when ``imageDurations`` names none for it; nil: it must.
    public var imageDuration: Double?
    /// A picture laid over the output (a logo); nil for none.
    public var overlay: Overlay?
    /// Loudness normalization of the sound; nil to keep the inputs' levels.
    public var loudness: Loudness?
    /// A sound mixed under the clips; nil for none.
    public var music: MusicBed?

    public init(
        mode: StitchMode = .auto, width: Int? = nil, height: Int? = nil, frameRate: Rational? = nil,
        fit: FitMode = .pad, audioSampleRate: Int = 48000, audioChannels: Int = 2, videoCodec: VideoCodec? = nil,
        preset: String = "veryfast", crf: Int = 23, encoderThreads: Int = 4, pixelLimit: PixelLimit = .standard
    ) {
        self.mode = mode
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.fit = fit
        self.audioSampleRate = audioSampleRate
        self.audioChannels = audioChannels
        self.videoCodec = videoCodec
        self.preset = preset
        self.crf = crf
        self.encoderThreads = encoderThreads
        self.pixelLimit = pixelLimit
    }
}
