import CFFmpeg

/// What an audio encoder should produce (float input: planar, or interleaved for encoders such as libopus that
/// take only that).
public struct AudioEncoderSettings: Sendable {
    /// libav encoder name, e.g. `aac`.
    public var codec: String
    public var sampleRate: Int
    public var channels: Int
    /// Bits per second.
    public var bitRate: Int
    /// Put codec headers in extradata (needed by MP4).
    public var globalHeader: Bool
    /// Ask for bit-exact output, for byte-identical results.
    public var bitExact: Bool

    public init(
        codec: String = "aac", sampleRate: Int = 48000, channels: Int = 2, bitRate: Int = 128_000,
        globalHeader: Bool = true, bitExact: Bool = true
    ) {
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
        self.globalHeader = globalHeader
        self.bitExact = bitExact
    }
}

extension MediaEncoder {
    /// Opens an audio encoder taking float samples: planar when it takes them (see ``takesPlanarSamples``),
    /// interleaved otherwise.
    public convenience init(audio settings: AudioEncoderSettings) throws(AVError) {
        let planar = Self.takesPlanarFloat(settings.codec)
        try self.init(codecName: settings.codec) { context throws(AVError) in
            context.pointee.sample_fmt = planar ? AV_SAMPLE_FMT_FLTP : AV_SAMPLE_FMT_FLT
            context.pointee.sample_rate = Int32(settings.sampleRate)
            av_channel_layout_default(&context.pointee.ch_layout, Int32(settings.channels))
            context.pointee.time_base = AVRational(num: 1, den: Int32(settings.sampleRate))
            context.pointee.bit_rate = Int64(settings.bitRate)
            if settings.globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
            if settings.bitExact { context.pointee.flags |= AV_CODEC_FLAG_BITEXACT }
        }
    }

    /// Samples per frame the encoder wants (1024 for AAC); 0 when any size is accepted.
    public var frameSize: Int { Int(context.pointee.frame_size) }

    /// Whether the encoder takes planar float samples; when not, it was opened for interleaved float.
    public var takesPlanarSamples: Bool { context.pointee.sample_fmt == AV_SAMPLE_FMT_FLTP }

    /// Whether the encoder `codecName` lists planar float among its sample formats (or lists none).
    private static func takesPlanarFloat(_ codecName: String) -> Bool {
        guard let codec = avcodec_find_encoder_by_name(codecName), var format = codec.pointee.sample_fmts else {
            return true
        }
        while format.pointee != AV_SAMPLE_FMT_NONE {
            if format.pointee == AV_SAMPLE_FMT_FLTP { return true }
            format += 1
        }
        return false
    }
}
