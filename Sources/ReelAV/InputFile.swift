import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An opened media file (an input `AVFormatContext`), closed when the last reference goes.
///
/// Streams borrowed from it (``MediaStream``) and decoders made from them keep it alive.
public final class InputFile {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    /// The path as the caller gave it; used in every error.
    public let path: String
    /// Read by libav's interrupt callback and before every packet; kept alive here for the callback.
    let cancellation: CancellationFlag?
    /// The largest frame decoded from this file: by libav while it reads the streams' parameters, and by every
    /// ``MediaDecoder`` made from its streams.
    public let pixelLimit: PixelLimit

    /// Opens `path` and reads enough of it to know its streams.
    ///
    /// Missing files, directories and empty files are reported before libav is asked, with plain messages.
    /// Once `cancellation` is set, opening and reading stop with ``AVError/cancelled``. The frames libav decodes
    /// to learn the streams' parameters are held to `pixelLimit` (a larger stream is still described, from its
    /// headers).
    public init(
        path: String, cancellation: CancellationFlag? = nil, pixelLimit: PixelLimit = .standard
    ) throws(AVError) {
        try cancellation?.check()
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { throw .fileNotFound(path: path) }
            throw AVError.library(
                function: "stat", code: reel_averror(errno), message: libavMessage(reel_averror(errno)), file: path)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notAFile(path: path) }
        guard info.st_size > 0 else { throw .emptyFile(path: path) }

        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        if let cancellation {
            context = try allocated(avformat_alloc_context(), "avformat_alloc_context")
            context?.pointee.interrupt_callback = cancellation.interruptCallback
        }
        // As ffmpeg and ffprobe do: read every program map of an MPEG-TS before deciding its streams.
        var options: OpaquePointer? = nil
        av_dict_set(&options, "scan_all_pmts", "1", 0)
        defer { av_dict_free(&options) }
        LibavLog.clearLastError()
        try check(avformat_open_input(&context, path, nil, &options), "avformat_open_input", file: path)
        guard let context else { throw .outOfMemory(function: "avformat_open_input") }
        let found = Self.findStreamInfo(context, pixelLimit: pixelLimit)
        if found < 0 {
            var owned: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&owned)
            try check(found, "avformat_find_stream_info", file: path)
        }
        self.pointer = context
        self.path = path
        self.cancellation = cancellation
        self.pixelLimit = pixelLimit
    }

    /// `avformat_find_stream_info` with libav's `max_pixels` set for every stream's probing decoder.
    private static func findStreamInfo(
        _ context: UnsafeMutablePointer<AVFormatContext>, pixelLimit: PixelLimit
    ) -> Int32 {
        let count = Int(context.pointee.nb_streams)
        guard count > 0 else { return avformat_find_stream_info(context, nil) }
        let options = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: count)
        options.initialize(repeating: nil, count: count)
        defer {
            for index in 0..<count { av_dict_free(&options[index]) }
            options.deallocate()
        }
        for index in 0..<count { av_dict_set(&options[index], "max_pixels", "\(pixelLimit.maxPixels)", 0) }
        return avformat_find_stream_info(context, options)
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&context)
    }

    /// Every stream in the file, in file order.
    public var streams: [MediaStream] {
        (0..<Int(pointer.pointee.nb_streams)).compactMap { index in
            pointer.pointee.streams[index].map { MediaStream(file: self, pointer: $0) }
        }
    }

    /// The stream libav would pick for `type` (what ffmpeg picks by default), or nil when there is none.
    public func bestStream(_ type: MediaType) -> MediaStream? {
        let index = av_find_best_stream(pointer, type.av, -1, -1, nil, 0)
        guard index >= 0, let stream = pointer.pointee.streams[Int(index)] else { return nil }
        return MediaStream(file: self, pointer: stream)
    }

    /// Like ``bestStream(_:)``, but a missing stream is an error naming the file.
    public func requireStream(_ type: MediaType) throws(AVError) -> MediaStream {
        guard let stream = bestStream(type) else { throw .noStream(kind: type, file: path) }
        return stream
    }

    /// Short container name(s), e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    public var formatName: String { String(cString: pointer.pointee.iformat.pointee.name) }

    /// Whether libav read the file as a single picture (PNG, JPEG…: the `image2` or `*_pipe` demuxers).
    var isStillImage: Bool { formatName.hasPrefix("image2") || formatName.hasSuffix("_pipe") }

    /// Duration in seconds from the container header, nil when the header does not say.
    public var duration: Double? {
        let value = pointer.pointee.duration
        guard value != noTimestamp, value > 0 else { return nil }
        return Double(value) / Double(AV_TIME_BASE)
    }

    /// Start time in seconds (MPEG-TS files often start well after zero), nil when unknown.
    public var startTime: Double? {
        let value = pointer.pointee.start_time
        guard value != noTimestamp else { return nil }
        return Double(value) / Double(AV_TIME_BASE)
    }

    /// Reads the next packet of any stream into `packet`. Returns false at the end of the file; throws
    /// ``AVError/cancelled`` once the file's cancellation flag is set, and
    /// ``AVError/frameTooLarge(file:width:height:limit:)`` for a video packet whose picture the demuxer's parser
    /// found above ``pixelLimit`` (a stream that grows mid-way), before any decoder sees it.
    public func read(into packet: Packet) throws(AVError) -> Bool {
        packet.unref()
        try cancellation?.check()
        let code = av_read_frame(pointer, packet.pointer)
        if code == averrorEOF { return false }
        try check(code, "av_read_frame", file: path)
        try checkPictureSize(of: packet)
        return true
    }

    private func checkPictureSize(of packet: Packet) throws(AVError) {
        let index = packet.streamIndex
        guard index >= 0, index < Int(pointer.pointee.nb_streams), let stream = pointer.pointee.streams[index],
            stream.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO, let parser = av_stream_get_parser(stream)
        else { return }
        try pixelLimit.check(width: Int(parser.pointee.width), height: Int(parser.pointee.height), file: path)
    }

    /// Seeks so that the next packets of `stream` start at the keyframe at or before `seconds`
    /// (seconds from the start of the clip, not raw timestamps).
    public func seek(to seconds: Double, in stream: MediaStream) throws(AVError) {
        let timeBase = stream.pointer.pointee.time_base
        let origin = stream.pointer.pointee.start_time == noTimestamp ? 0 : stream.pointer.pointee.start_time
        let target = origin + Int64((seconds / av_q2d(timeBase)).rounded(.down))
        try check(
            avformat_seek_file(pointer, Int32(stream.index), Int64.min, target, target, 0),
            "avformat_seek_file", file: path)
    }

    /// Tells the demuxer to drop packets of every stream except `keep`, so reading skips them cheaply (and to
    /// deliver those of `keep` again, where an earlier call dropped them).
    public func discardAll(except keep: [MediaStream]) {
        let kept = Set(keep.map(\.index))
        for stream in streams {
            stream.pointer.pointee.discard = kept.contains(stream.index) ? AVDISCARD_DEFAULT : AVDISCARD_ALL
        }
    }
}

@available(*, unavailable)
extension InputFile: Sendable {}

/// One stream of an ``InputFile``. It keeps its file open for as long as it lives.
public struct MediaStream {
    /// The file the stream belongs to (kept alive by this reference).
    public let file: InputFile
    let pointer: UnsafeMutablePointer<AVStream>

    /// Index of the stream in its file.
    public var index: Int { Int(pointer.pointee.index) }
    /// Video, audio, subtitle…
    public var type: MediaType { MediaType(pointer.pointee.codecpar.pointee.codec_type) }
    /// The unit of the stream's timestamps.
    public var timeBase: Rational { Rational(pointer.pointee.time_base) }
    /// First timestamp in the stream's time base, nil when unknown.
    public var startTimestamp: Int64? {
        pointer.pointee.start_time == noTimestamp ? nil : pointer.pointee.start_time
    }
    /// Stream duration in seconds, nil when unknown.
    public var duration: Double? { seconds(pointer.pointee.duration, pointer.pointee.time_base) }
    /// Average frame rate (video), nil when unknown.
    public var averageFrameRate: Rational? {
        let rate = Rational(pointer.pointee.avg_frame_rate)
        return rate.isUnknown ? nil : rate
    }
    /// Packets at the start of the stream that the demuxer's index marks as decode-only (frames a MOV edit list
    /// hides), counted without reading them; nil when the demuxer has no index yet to count from (MPEG-TS).
    public var hiddenLeadingPackets: Int? {
        let count = avformat_index_get_entries_count(pointer)
        guard count > 0 else { return nil }
        var hidden = 0
        while hidden < count, let entry = avformat_index_get_entry(pointer, Int32(hidden)),
            entry.pointee.flags & AVINDEX_DISCARD_FRAME != 0
        {
            hidden += 1
        }
        return Int(hidden)
    }

    /// Converts a timestamp of this stream to seconds from the start of the clip.
    public func secondsFromStart(_ timestamp: Int64) -> Double {
        Double(timestamp - (startTimestamp ?? 0)) * av_q2d(pointer.pointee.time_base)
    }
}

@available(*, unavailable)
extension MediaStream: Sendable {}
