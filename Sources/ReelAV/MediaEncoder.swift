import CFFmpeg

/// What a video encoder should produce.
public struct VideoEncoderSettings: Sendable {
    /// libav encoder name, e.g. `libx264`, `mjpeg`, `png`.
    public var codec: String
    public var width: Int
    public var height: Int
    public var pixelFormat: PixelFormat
    /// The unit of the frames' timestamps.
    public var timeBase: Rational
    /// Nominal frame rate, when constant.
    public var frameRate: Rational?
    /// Sample aspect ratio written into the stream; nil for square pixels.
    public var sampleAspectRatio: Rational?
    /// Encoder-private options (`preset`, `crf`…), as `av_opt_set` takes them.
    public var options: [String: String]
    /// `qscale`-style global quality (used by mjpeg), nil to leave the encoder's default.
    public var globalQuality: Int?
    /// Bits per second; nil for libav's default (0 asks libvpx for constant quality).
    public var bitRate: Int?
    /// Encoder threads; 0 lets libav pick.
    public var threads: Int
    /// Put codec headers in extradata (needed by MP4).
    public var globalHeader: Bool
    /// Ask for bit-exact output (no version strings), for byte-identical results.
    public var bitExact: Bool

    public init(
        codec: String, width: Int, height: Int, pixelFormat: PixelFormat, timeBase: Rational,
        frameRate: Rational? = nil, sampleAspectRatio: Rational? = nil, options: [String: String] = [:],
        globalQuality: Int? = nil, bitRate: Int? = nil, threads: Int = 0, globalHeader: Bool = false,
        bitExact: Bool = true
    ) {
        self.codec = codec
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        self.timeBase = timeBase
        self.frameRate = frameRate
        self.sampleAspectRatio = sampleAspectRatio
        self.options = options
        self.globalQuality = globalQuality
        self.bitRate = bitRate
        self.threads = threads
        self.globalHeader = globalHeader
        self.bitExact = bitExact
    }
}

/// An encoder (an `AVCodecContext` opened for encoding). Feed frames with ``encode(_:into:_:)``;
/// pass `nil` at the end to drain.
public final class MediaEncoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    /// Encoder name, for errors.
    public let name: String

    /// Opens a video encoder.
    public convenience init(video settings: VideoEncoderSettings) throws(AVError) {
        try self.init(codecName: settings.codec) { context throws(AVError) in
            context.pointee.width = Int32(settings.width)
            context.pointee.height = Int32(settings.height)
            context.pointee.pix_fmt = settings.pixelFormat.av
            context.pointee.time_base = settings.timeBase.av
            if let rate = settings.frameRate { context.pointee.framerate = rate.av }
            if let sar = settings.sampleAspectRatio { context.pointee.sample_aspect_ratio = sar.av }
            if let quality = settings.globalQuality {
                context.pointee.flags |= AV_CODEC_FLAG_QSCALE
                context.pointee.global_quality = Int32(quality) * FF_QP2LAMBDA
                context.pointee.qmin = Int32(quality)
                context.pointee.qmax = Int32(quality)
            }
            if let bitRate = settings.bitRate { context.pointee.bit_rate = Int64(bitRate) }
            context.pointee.thread_count = Int32(settings.threads)
            if settings.globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
            if settings.bitExact { context.pointee.flags |= AV_CODEC_FLAG_BITEXACT }
            for (key, value) in settings.options.sorted(by: { $0.key < $1.key }) {
                try check(
                    av_opt_set(context.pointee.priv_data, key, value, 0), "av_opt_set(\(key)=\(value))")
            }
        }
    }

    init(
        codecName: String,
        configure: (UnsafeMutablePointer<AVCodecContext>) throws(AVError) -> Void
    ) throws(AVError) {
        guard let codec = avcodec_find_encoder_by_name(codecName) else {
            throw .codecUnavailable(name: codecName, file: nil)
        }
        let context = try allocated(avcodec_alloc_context3(codec), "avcodec_alloc_context3")
        do {
            try configure(context)
            try check(avcodec_open2(context, codec, nil), "avcodec_open2(\(codecName))")
        } catch {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            throw error
        }
        self.context = context
        self.name = codecName
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// The encoder's time base (it may differ from the one asked for).
    public var timeBase: Rational { Rational(context.pointee.time_base) }

    /// Sends `frame` (or, with nil, the end of the stream) and hands every packet that comes out to `body`.
    public func encode(_ frame: Frame?, into packet: Packet, _ body: (Packet) throws -> Void) throws {
        let sent = avcodec_send_frame(context, frame?.pointer)
        if sent != averrorEOF {
            try check(sent, "avcodec_send_frame(\(name))")
        }
        while true {
            packet.unref()
            let received = avcodec_receive_packet(context, packet.pointer)
            if received == averrorEAGAIN || received == averrorEOF { return }
            try check(received, "avcodec_receive_packet(\(name))")
            try body(packet)
        }
    }
}

@available(*, unavailable)
extension MediaEncoder: Sendable {}
