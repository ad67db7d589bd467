import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A media file being written (an output `AVFormatContext`).
///
/// Bytes go to a hidden temporary file in the target folder; ``finish()`` writes the trailer once, fsyncs and
/// renames it into place, so the output appears only when complete. Dropped before `finish()`, the temporary
/// file is deleted.
public final class OutputFile {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    /// The final path.
    public let path: String
    /// Where bytes go until ``finish()``.
    let temporaryPath: String
    /// Read by libav's interrupt callback and before every packet; kept alive here for the callback.
    let cancellation: CancellationFlag?
    private var headerWritten = false
    private var finished = false

    /// Creates `path`'s temporary sibling; the container is guessed from `path`'s extension. Once `cancellation`
    /// is set, writing stops with ``AVError/cancelled`` (and the dropped output deletes its temporary file).
    ///
    /// With `inPlace`, bytes go straight to `path`, a file the caller has reserved (a library staging file, which
    /// is already out of sight), and ``finish()`` renames nothing; a dropped output still deletes it.
    public init(path: String, cancellation: CancellationFlag? = nil, inPlace: Bool = false) throws(AVError) {
        try cancellation?.check()
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary =
            inPlace
            ? path : "\(parentDirectory(of: path))/.\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).part"
        guard let format = av_guess_format(nil, path, nil) else {
            throw .invalidArgument("\(path): cannot tell the container from the file name (use .mp4, .mov or .mkv)")
        }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(
            avformat_alloc_output_context2(&context, format, nil, temporary), "avformat_alloc_output_context2",
            file: path)
        guard let context else { throw .outOfMemory(function: "avformat_alloc_output_context2") }
        if let cancellation { context.pointee.interrupt_callback = cancellation.interruptCallback }
        let opened = avio_open2(
            &context.pointee.pb, temporary, AVIO_FLAG_WRITE, &context.pointee.interrupt_callback, nil)
        if opened < 0 {
            avformat_free_context(context)
            try check(opened, "avio_open", file: path)
        }
        context.pointee.flags |= AVFMT_FLAG_BITEXACT
        self.pointer = context
        self.path = path
        self.temporaryPath = temporary
        self.cancellation = cancellation
    }

    deinit {
        if !finished {
            avio_closep(&pointer.pointee.pb)
            unlink(temporaryPath)
        }
        avformat_free_context(pointer)
    }

    /// Adds a stream that will carry packets copied unchanged from `stream`. Returns its index.
    @discardableResult
    public func addStream(copying stream: MediaStream) throws(AVError) -> Int {
        let output = try allocated(avformat_new_stream(pointer, nil), "avformat_new_stream")
        try check(
            avcodec_parameters_copy(output.pointee.codecpar, stream.pointer.pointee.codecpar),
            "avcodec_parameters_copy", file: path)
        output.pointee.codecpar.pointee.codec_tag = appleTag(for: output.pointee.codecpar.pointee.codec_id)
        output.pointee.time_base = stream.pointer.pointee.time_base
        output.pointee.sample_aspect_ratio = stream.pointer.pointee.sample_aspect_ratio
        output.pointee.avg_frame_rate = stream.pointer.pointee.avg_frame_rate
        copyDisplayMatrix(from: stream.pointer, to: output)
        return Int(output.pointee.index)
    }

    /// Adds a stream fed by `encoder`'s packets. Returns its index.
    @discardableResult
    public func addStream(encoder: MediaEncoder) throws(AVError) -> Int {
        let output = try allocated(avformat_new_stream(pointer, nil), "avformat_new_stream")
        try check(
            avcodec_parameters_from_context(output.pointee.codecpar, encoder.context),
            "avcodec_parameters_from_context", file: path)
        output.pointee.codecpar.pointee.codec_tag = appleTag(for: output.pointee.codecpar.pointee.codec_id)
        output.pointee.time_base = encoder.context.pointee.time_base
        output.pointee.avg_frame_rate = encoder.context.pointee.framerate
        output.pointee.sample_aspect_ratio = encoder.context.pointee.sample_aspect_ratio
        return Int(output.pointee.index)
    }

    /// The codec tag a stream of `codec` gets: `hvc1` for HEVC in MP4 or MOV (parameter sets in the sample entry,
    /// which Apple's players require; libav's default `hev1` does not play there), else 0 for the muxer's own.
    private func appleTag(for codec: AVCodecID) -> UInt32 {
        guard codec == AV_CODEC_ID_HEVC, let name = pointer.pointee.oformat?.pointee.name,
            ["mp4", "mov"].contains(where: { String(cString: name).split(separator: ",").contains(Substring($0)) })
        else { return 0 }
        return [UInt8]("hvc1".utf8).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    private func copyDisplayMatrix(
        from source: UnsafeMutablePointer<AVStream>, to output: UnsafeMutablePointer<AVStream>
    ) {
        var size: Int = 0
        guard let data = av_stream_get_side_data(source, AV_PKT_DATA_DISPLAYMATRIX, &size), size > 0,
            let copy = av_stream_new_side_data(output, AV_PKT_DATA_DISPLAYMATRIX, size)
        else { return }
        copy.update(from: data, count: size)
    }

    /// The time base the muxer settled on for stream `index` (known after ``writeHeader(options:)``).
    public func timeBase(of index: Int) -> Rational {
        guard index >= 0, index < Int(pointer.pointee.nb_streams), let stream = pointer.pointee.streams[index] else {
            return Rational(0, 1)
        }
        return Rational(stream.pointee.time_base)
    }

    /// Writes the container header. `options` are muxer options, e.g. `["movflags": "+faststart"]`.
    public func writeHeader(options: [String: String] = [:]) throws(AVError) {
        var dictionary: OpaquePointer? = nil
        defer { av_dict_free(&dictionary) }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) { av_dict_set(&dictionary, key, value, 0) }
        try check(avformat_write_header(pointer, &dictionary), "avformat_write_header", file: path)
        headerWritten = true
    }

    /// Writes `packet` (timestamps in the output stream's time base), interleaving streams by time.
    /// The packet is emptied. Throws ``AVError/cancelled`` once the output's cancellation flag is set.
    public func write(_ packet: Packet) throws(AVError) {
        try cancellation?.check()
        try check(av_interleaved_write_frame(pointer, packet.pointer), "av_interleaved_write_frame", file: path)
    }

    /// Writes the trailer (once), flushes the file to disk and renames it to ``path`` (unless written in place).
    public func finish() throws(AVError) {
        guard !finished else { return }
        guard headerWritten else { throw .invalidArgument("\(path): finish() before writeHeader()") }
        try check(av_write_trailer(pointer), "av_write_trailer", file: path)
        try check(avio_closep(&pointer.pointee.pb), "avio_closep", file: path)
        let descriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        let syncError = errno
        if descriptor >= 0 { close(descriptor) }
        guard synced else { throw discarded(function: descriptor < 0 ? "open" : "fsync", errno: syncError) }
        guard temporaryPath == path || rename(temporaryPath, path) == 0 else {
            throw discarded(function: "rename", errno: errno)
        }
        finished = true
        let folder = open(parentDirectory(of: path), O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}

extension OutputFile {
    /// Deletes the unfinished file after the system call `function` failed with `errno`, and the error saying so.
    private func discarded(function: String, errno code: Int32) -> AVError {
        let error = reel_averror(code)
        unlink(temporaryPath)
        finished = true
        return AVError.library(function: function, code: error, message: libavMessage(error), file: path)
    }
}

@available(*, unavailable)
extension OutputFile: Sendable {}

/// The folder holding `path`: `.` for a bare name, `/` for a file at the root.
private func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
}
