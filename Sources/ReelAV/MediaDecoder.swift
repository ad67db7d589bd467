import CFFmpeg

/// A decoder (an `AVCodecContext`) opened for one stream of an input file.
///
/// Holds its ``MediaStream`` (and so the file) for as long as it lives. Send packets with
/// ``decode(_:into:_:)``; pass `nil` at the end to drain the frames the decoder still holds.
public final class MediaDecoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    /// The stream being decoded.
    public let stream: MediaStream
    /// The largest frame this decoder hands out.
    let pixelLimit: PixelLimit

    /// Opens a decoder for `stream`.
    ///
    /// A video stream whose frames are larger than its file's ``InputFile/pixelLimit`` is refused here, before
    /// anything is allocated for them; libav's own `max_pixels` is set to the same limit, and every decoded frame
    /// is checked again (a stream can change size mid-way).
    /// - Parameter threads: decoding threads; 0 lets libav pick one per core.
    public init(for stream: MediaStream, threads: Int = 0) throws(AVError) {
        let file = stream.file.path
        let limit = stream.file.pixelLimit
        guard let parameters = stream.pointer.pointee.codecpar else {
            throw .codecUnavailable(name: "unknown", file: file)
        }
        if parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
            try limit.check(
                width: Int(parameters.pointee.width), height: Int(parameters.pointee.height), file: file)
        }
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .codecUnavailable(name: String(cString: avcodec_get_name(parameters.pointee.codec_id)), file: file)
        }
        let context = try allocated(avcodec_alloc_context3(codec), "avcodec_alloc_context3")
        do {
            try check(avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context", file: file)
            context.pointee.pkt_timebase = stream.pointer.pointee.time_base
            context.pointee.thread_count = Int32(threads)
            context.pointee.max_pixels = Int64(limit.maxPixels)
            try check(avcodec_open2(context, codec, nil), "avcodec_open2", file: file)
        } catch {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            throw error
        }
        self.context = context
        self.stream = stream
        self.pixelLimit = limit
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// When true, the decoder skips every frame that is not a keyframe (cheap sparse sampling).
    public var keyframesOnly: Bool {
        get { context.pointee.skip_frame == AVDISCARD_NONKEY }
        set { context.pointee.skip_frame = newValue ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT }
    }

    /// When true, the decoder skips frames that no other frame refers to (non-reference B-frames), for frames
    /// decoded only to reach a later one: the frames it still decodes come out exactly as without skipping.
    var skipsNonReference: Bool {
        get { context.pointee.skip_frame == AVDISCARD_NONREF }
        set { context.pointee.skip_frame = newValue ? AVDISCARD_NONREF : AVDISCARD_DEFAULT }
    }

    /// Sends `packet` (or, with nil, the end of the stream) and hands every frame that comes out to `body`.
    ///
    /// The frame is reused between calls: copy what you need before `body` returns.
    public func decode(_ packet: Packet?, into frame: Frame, _ body: (Frame) throws -> Void) throws {
        let sent = avcodec_send_packet(context, packet?.pointer)
        if sent != averrorEOF {
            try check(sent, "avcodec_send_packet", file: stream.file.path)
        }
        while true {
            frame.unref()
            let received = avcodec_receive_frame(context, frame.pointer)
            if received == averrorEAGAIN || received == averrorEOF { return }
            try check(received, "avcodec_receive_frame", file: stream.file.path)
            try pixelLimit.check(width: frame.width, height: frame.height, file: stream.file.path)
            try body(frame)
        }
    }

    /// Forgets buffered frames, as after a seek.
    public func flush() { avcodec_flush_buffers(context) }
}

@available(*, unavailable)
extension MediaDecoder: Sendable {}
