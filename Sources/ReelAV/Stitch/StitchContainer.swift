/// The container a stitch writes, picked by the output file's extension (or a stage's `format`). Each holds its
/// own codecs: MP4 and MOV take H.264 or HEVC with AAC, Matroska those or VP9, WebM only VP9 with Opus.
public enum StitchContainer: String, Sendable, Codable, CaseIterable {
    case mp4, mov, mkv, webm

    /// The container `path`'s extension names, or nil when it names none a stitch writes.
    public init?(path: String) {
        guard let ext = pathExtension(of: path), let container = Self(rawValue: ext) else { return nil }
        self = container
    }

    /// The video codecs it takes when re-encoding, the default first.
    public var videoCodecs: [VideoCodec] {
        switch self {
        case .mp4, .mov: [.h264, .hevc]
        case .mkv: [.h264, .hevc, .vp9]
        case .webm: [.vp9]
        }
    }

    /// The codec a re-encode writes when none is asked for.
    public var defaultVideoCodec: VideoCodec { videoCodecs[0] }

    /// The audio codec a re-encode writes, as ffprobe names it.
    public var audioCodec: String { self == .webm ? "opus" : "aac" }

    /// The libav encoder of ``audioCodec``.
    var audioEncoder: String { self == .webm ? "libopus" : "aac" }

    /// The video codecs a copy can keep in this container; nil for any (the muxer decides).
    var copiedVideoCodecs: Set<String>? { self == .webm ? ["av1", "vp8", "vp9"] : nil }

    /// The audio codecs a copy can keep in this container; nil for any (the muxer decides).
    var copiedAudioCodecs: Set<String>? { self == .webm ? ["opus", "vorbis"] : nil }

    /// The sample rates its audio encoder takes, as the encoder lists them.
    public var audioSampleRates: [Int] { MediaEncoder.supportedSampleRates(of: audioEncoder) }

    /// The extensions, as a user reads them in a message: `.mp4, .mov, .mkv or .webm`.
    static func listed(_ containers: [StitchContainer]) -> String {
        let names = containers.map { ".\($0.rawValue)" }
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
