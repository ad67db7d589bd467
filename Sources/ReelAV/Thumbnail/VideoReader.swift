import CFFmpeg

/// The video stream of one input, opened for seeking and decoding single frames, with times measured from the
/// start of the clip (the container's start time, as `ffmpeg -ss` counts).
final class VideoReader {
    let file: InputFile
    let stream: MediaStream
    let decoder: MediaDecoder
    /// The clip's start in the stream's time base.
    let origin: Int64
    /// Seconds per tick of the stream's time base.
    let tick: Double
    /// Container duration in seconds, else the stream's; nil when neither is known.
    let duration: Double?
    /// Clockwise display rotation in degrees.
    let rotation: Int
    private let packet: Packet
    private let frame: Frame

    /// Opens the video stream of `path`; a stream whose frames are above `pixelLimit` is refused before any is
    /// decoded.
    init(path: String, threads: Int = 0, pixelLimit: PixelLimit, cancellation: CancellationFlag?) throws(AVError) {
        file = try InputFile(path: path, cancellation: cancellation, pixelLimit: pixelLimit)
        stream = try file.requireStream(.video)
        decoder = try MediaDecoder(for: stream, threads: threads)
        file.discardAll(except: [stream])
        let timeBase = stream.pointer.pointee.time_base
        let start = file.pointer.pointee.start_time
        origin =
            start != noTimestamp
            ? av_rescale_q(start, AVRational(num: 1, den: AV_TIME_BASE), timeBase) : (stream.startTimestamp ?? 0)
        tick = av_q2d(timeBase)
        duration = file.duration ?? stream.duration
        rotation = stream.info.rotation
        packet = try Packet()
        frame = try Frame()
    }

    /// The file's path, for errors.
    var path: String { file.path }

    /// Seconds from the start of the clip at which `frame` is shown.
    func time(of frame: Frame) -> Double? {
        let timeBase = stream.pointer.pointee.time_base
        return (frame.bestEffortTimestamp ?? frame.pts).map {
            Double($0 - origin) * Double(timeBase.num) / Double(timeBase.den)
        }
    }

    /// The picture's stored size, sample aspect ratio and rotation.
    func geometry(of frame: Frame) -> PictureGeometry {
        let sar = av_guess_sample_aspect_ratio(file.pointer, stream.pointer, frame.pointer)
        return PictureGeometry(
            width: frame.width, height: frame.height, sampleAspectRatio: Rational(sar), rotation: rotation)
    }

    /// Whether the demuxer's index points at decoding times, so a seek must aim a little early for B-frames
    /// (what ffmpeg itself does for `-ss`).
    private var seekMargin: Int64 {
        let seeksToPTS = (file.pointer.pointee.iformat.pointee.flags & AVFMT_SEEK_TO_PTS) != 0
        let delayed =
            stream.pointer.pointee.codecpar.pointee.video_delay > 0 || decoder.context.pointee.has_b_frames > 0
        return seeksToPTS || !delayed ? 0 : Int64((3.0 / 23.0 / tick).rounded())
    }

    /// Positions the input on the keyframe at or before `seconds` from the clip start (the first keyframe when
    /// there is none before), and forgets what the decoder held.
    func seek(to seconds: Double) throws(AVError) {
        try seek(toTimestamp: origin + Int64((seconds / tick).rounded(.down)) - seekMargin)
    }

    private func seek(toTimestamp target: Int64) throws(AVError) {
        let index = Int32(stream.index)
        var code = avformat_seek_file(file.pointer, index, Int64.min, target, target, 0)
        if code < 0 { code = avformat_seek_file(file.pointer, index, Int64.min, target, Int64.max, 0) }
        try check(code, "avformat_seek_file", file: path)
        decoder.flush()
    }

    /// The first frame shown at or after `seconds` (what `ffmpeg -ss T -frames:v 1` shows), with its time.
    ///
    /// Seeks to the keyframe before, decodes forward; never decodes from the start. When the stream ends first,
    /// the last frame is returned if the clip really ends there, and a truncation error otherwise.
    func frame(at seconds: Double) throws(AVError) -> (frame: Frame, time: Double)? {
        try seek(to: seconds)
        // Some demuxers (MPEG-TS) land by bytes, not on a keyframe at or before the wanted time: while decoding
        // starts after it, aim further back, and finally at the very start.
        var previousFirst: Double?
        for backoff in [1.0, 4.0, 16.0, .infinity] {
            let result = try decodeForward(to: seconds)
            let landedAfter = result.firstTime.map { $0 > seconds + 1e-6 } ?? true
            if !landedAfter || (result.firstTime != nil && result.firstTime == previousFirst) {
                return try settle(result, at: seconds)
            }
            previousFirst = result.firstTime
            try seek(
                toTimestamp: backoff.isFinite
                    ? origin + Int64(((seconds - backoff) / tick).rounded(.down)) - seekMargin : origin - (1 << 40))
        }
        return try settle(try decodeForward(to: seconds), at: seconds)
    }

    private func settle(
        _ result: (found: (frame: Frame, time: Double)?, last: (frame: Frame, time: Double)?, firstTime: Double?),
        at seconds: Double
    ) throws(AVError) -> (frame: Frame, time: Double)? {
        if let found = result.found { return found }
        guard let last = result.last else { return nil }
        if let duration, duration - last.time > max(0.5, 4 * frameInterval) {
            throw .truncated(file: path, detail: "video data ends at \(secondsText(last.time)) s")
        }
        return last
    }

    /// Seconds between frames, from the stream's average rate (0.04 when unknown).
    var frameInterval: Double {
        guard let rate = stream.averageFrameRate?.value, rate > 0 else { return 0.04 }
        return 1 / rate
    }

    /// Decodes from the first keyframe read onwards until a frame reaches `seconds`.
    ///
    /// Once a frame has come out, a packet shown well before `seconds` and before a packet already decoded in full
    /// is sent with non-reference frames skipped: no later frame needs it, it is neither the frame wanted nor the
    /// last one before it, so the frames returned are the same as when decoding everything.
    private func decodeForward(
        to seconds: Double
    ) throws(AVError) -> (found: (frame: Frame, time: Double)?, last: (frame: Frame, time: Double)?, firstTime: Double?)
    {
        var found: (frame: Frame, time: Double)?
        var last: (frame: Frame, time: Double)?
        var firstTime: Double?
        var failure: AVError?
        let take: (Frame) -> Void = { decoded in
            guard found == nil, failure == nil else { return }
            let time = self.time(of: decoded) ?? (last.map { $0.time + self.frameInterval } ?? seconds)
            if firstTime == nil { firstTime = time }
            do throws(AVError) {
                if time >= seconds - 1e-9 {
                    found = (try decoded.reference(), time)
                } else {
                    last = (try decoded.reference(), time)
                }
            } catch { failure = error }
        }
        var started = false
        var newestDecoded: Int64?
        let skipBefore = seconds - frameInterval / 2
        defer { decoder.skipsNonReference = false }
        while found == nil, failure == nil, try file.read(into: packet) {
            guard packet.streamIndex == stream.index else { continue }
            started = started || packet.isKeyframe
            guard started else { continue }
            var skippable = false
            if firstTime != nil, let pts = packet.pts, let newest = newestDecoded {
                skippable = pts < newest && Double(pts - origin) * tick < skipBefore
            }
            decoder.skipsNonReference = skippable
            try decode(packet, take)
            if !skippable, let pts = packet.pts { newestDecoded = max(newestDecoded ?? pts, pts) }
        }
        if found == nil, failure == nil, started { try decode(nil, take) }
        if let failure { throw failure }
        return (found, last, firstTime)
    }

    /// The first keyframe read after the current position (one packet decoded, then the decoder drained).
    func nextKeyframe() throws(AVError) -> (frame: Frame, time: Double)? {
        while try file.read(into: packet) {
            guard packet.streamIndex == stream.index, packet.isKeyframe else { continue }
            var result: (frame: Frame, time: Double)?
            var failure: AVError?
            let take: (Frame) -> Void = { decoded in
                guard result == nil else { return }
                do throws(AVError) {
                    result = (try decoded.reference(), self.time(of: decoded) ?? 0)
                } catch { failure = error }
            }
            try decode(packet, take)
            if result == nil { try decode(nil, take) }
            decoder.flush()
            if let failure { throw failure }
            if let result { return result }
        }
        return nil
    }

    /// Reads every frame from the first keyframe after the current position to the end, handing each with its
    /// time to `body` until it returns false.
    func forEachFrame(_ body: (Frame, Double) throws(AVError) -> Bool) throws(AVError) {
        var going = true
        var failure: AVError?
        let take: (Frame) -> Void = { decoded in
            guard going, failure == nil else { return }
            do throws(AVError) {
                going = try body(decoded, self.time(of: decoded) ?? 0)
            } catch { failure = error }
        }
        var started = false
        while going, failure == nil, try file.read(into: packet) {
            guard packet.streamIndex == stream.index else { continue }
            started = started || packet.isKeyframe
            guard started else { continue }
            try decode(packet, take)
        }
        if going, failure == nil, started { try decode(nil, take) }
        if let failure { throw failure }
    }

    /// Average seconds between keyframes: from the demuxer's index when it has one, else by reading packets
    /// (no decoding) from the start; the clip's duration when only one keyframe is found.
    func keyframeInterval() throws(AVError) -> Double {
        let entries = Int(avformat_index_get_entries_count(stream.pointer))
        if entries > 1, let duration {
            var keyframes = 0
            for index in 0..<entries {
                if let entry = avformat_index_get_entry(stream.pointer, Int32(index)),
                    entry.pointee.flags & AVINDEX_KEYFRAME != 0
                {
                    keyframes += 1
                }
            }
            if keyframes > 1 { return duration / Double(keyframes) }
        }
        var keyframeTimes: [Double] = []
        var packets = 0
        while keyframeTimes.count < 3, packets < 2000, try file.read(into: packet) {
            guard packet.streamIndex == stream.index else { continue }
            packets += 1
            if packet.isKeyframe, let pts = packet.pts ?? packet.dts {
                keyframeTimes.append(Double(pts - origin) * tick)
            }
        }
        try seek(to: 0)
        guard keyframeTimes.count > 1, let first = keyframeTimes.first, let last = keyframeTimes.last, last > first
        else { return duration ?? .infinity }
        return (last - first) / Double(keyframeTimes.count - 1)
    }

    private func decode(_ packet: Packet?, _ take: (Frame) -> Void) throws(AVError) {
        do {
            try decoder.decode(packet, into: frame) { decoded in take(decoded) }
        } catch let error as AVError {
            throw error
        } catch {
            throw .invalidArgument("\(path): \(error)")
        }
    }
}

@available(*, unavailable)
extension VideoReader: Sendable {}
