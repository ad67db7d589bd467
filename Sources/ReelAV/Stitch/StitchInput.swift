import CFFmpeg

/// What a stitch needs to know about one input: its streams' parameters, read once before any work.
struct StitchInput {
    var position: Int
    var path: String
    var name: String
    var video: StreamInfo
    var videoLevel: Int32
    var videoExtradata: [UInt8]
    var audio: StreamInfo?
    var audioExtradata: [UInt8]
    /// Seconds of video and audio (stream durations, else the container's).
    var videoDuration: Double
    var audioDuration: Double?
    /// Video packets the demuxer marks as decode-only (frames an edit list hides) before the first shown one.
    var hiddenVideoPackets: Int
    /// The rate a stitch plays this input at (``nominalRate(_:)``, else the most common frame duration's, else the
    /// average).
    var frameRate: Rational?
    /// The part of it kept, when trimmed.
    var trim: Trim?
    /// Whether it is one still picture (a PNG or JPEG title card, or a colour card), shown for ``videoDuration``
    /// seconds.
    var isStill = false
    /// The colour of a colour card (an input `color:…`), which has no file.
    var color: CardColor?
    /// Seconds from the start of the video of the keyframes on each side of its cuts, read only for a trimmed
    /// input that may be copied (``keyframes(at:of:)``).
    var keyframes: [Double] = []
    /// Where a copy seeks to read from the keyframe at its in point (earlier than the in point in an MPEG-TS).
    var startSeek: Double = 0
    /// The file as the plan opened it, for a copy to read instead of opening it again (libav's stream probing
    /// is most of the cost of opening): kept when the copy will find it as if fresh, that is unread, or read
    /// but cut at an in point the copy seeks to. Nil otherwise, and for a stitch that re-encodes.
    var file: InputFile?

    /// Seconds from the start of the video to the first frame kept.
    var keptStart: Double { trim?.start?.seconds(at: frameRate) ?? 0 }
    /// Seconds from the start of the video to the end of what is kept.
    var keptEnd: Double { min(videoDuration, trim?.end?.seconds(at: frameRate) ?? videoDuration) }
    /// Seconds of video kept.
    var keptDuration: Double { max(0, keptEnd - keptStart) }

    /// Why the trim cannot be applied to this input (an end past the clip's, an empty part), or nil.
    var trimProblem: String? {
        guard let trim else { return nil }
        let length = "\(String(seconds: videoDuration)) s long"
        if let start = trim.start, keptStart >= videoDuration { return "in (\(start)) is past its end (\(length))" }
        if let end = trim.end, end.seconds(at: frameRate) > videoDuration + 0.5 / (frameRate?.value ?? 25) {
            return "out (\(end)) is past its end (\(length))"
        }
        if keptDuration <= 0, let start = trim.start, let end = trim.end {
            return "out (\(end)) must be after in (\(start))"
        }
        return nil
    }

    /// Opens `path` and reads its facts; errors name the input by position and path. A video frame above
    /// `pixelLimit` is refused here, whichever way the stitch goes.
    static func read(
        position: Int, path: String, trim: Trim?, lookForHiddenFrames: Bool, pixelLimit: PixelLimit,
        cancellation: CancellationFlag?
    ) throws(StitchError) -> StitchInput {
        if let named = CardColor.named(byInput: path) { return try card(position: position, path: path, named.get()) }
        do {
            let file = try InputFile(path: path, cancellation: cancellation, pixelLimit: pixelLimit)
            let video = try file.requireStream(.video)
            let audio = file.bestStream(.audio)
            let videoInfo = video.info
            try pixelLimit.check(width: videoInfo.width ?? 0, height: videoInfo.height ?? 0, file: path)
            let audioInfo = audio?.info
            let fallback = file.duration
            // Hidden frames are counted from the demuxer's index where it has one, else by reading.
            var hidden = lookForHiddenFrames ? video.hiddenLeadingPackets : 0
            // A variable rate with no usable nominal one is measured from the first packets' timestamps.
            let measuresRate = Self.nominalRate(videoInfo) == nil
            var timestamps: [Int64] = []
            let reads = hidden == nil || measuresRate
            if reads {
                hidden = 0
                file.discardAll(except: [video])
                let packet = try Packet()
                var shown = false
                while try file.read(into: packet) {
                    guard packet.streamIndex == video.index else { continue }
                    if !shown && packet.isDiscarded { hidden? += 1 } else { shown = true }
                    if measuresRate, let pts = packet.pts { timestamps.append(pts) }
                    if shown && (!measuresRate || timestamps.count > Self.measuredPackets) { break }
                }
            }
            var fact = StitchInput(
                position: position, path: path, name: path.split(separator: "/").last.map(String.init) ?? path,
                video: videoInfo, videoLevel: video.pointer.pointee.codecpar.pointee.level,
                videoExtradata: extradata(video), audio: audioInfo, audioExtradata: audio.map(extradata) ?? [],
                videoDuration: videoInfo.duration ?? fallback ?? 0,
                audioDuration: audioInfo.map { $0.duration ?? fallback ?? 0 },
                hiddenVideoPackets: lookForHiddenFrames ? hidden ?? 0 : 0,
                frameRate: Self.nominalRate(videoInfo)
                    ?? Self.mostCommonRate(timestamps, timeBase: video.timeBase) ?? Self.knownRate(videoInfo))
            fact.trim = trim
            fact.isStill = file.isStillImage
            // A trimmed input that may be copied needs its keyframes: a copy can cut only there.
            let cuts = fact.cuts
            if lookForHiddenFrames && !fact.isStill && !cuts.isEmpty {
                (fact.keyframes, fact.startSeek) = try fact.keyframes(at: cuts, of: video)
            }
            if lookForHiddenFrames && ((!reads && cuts.isEmpty) || fact.keptStart > 0) { fact.file = file }
            return fact
        } catch {
            throw StitchError.input(position, path, error)
        }
    }

    /// A colour card: a still with no file, no audio and no size of its own (it takes the output's).
    private static func card(position: Int, path: String, _ color: CardColor) -> StitchInput {
        let video = StreamInfo(
            index: 0, type: .video, codec: "color", timeBase: Rational(1, 25), tags: [:], rotation: 0)
        var fact = StitchInput(
            position: position, path: path, name: path, video: video, videoLevel: 0, videoExtradata: [], audio: nil,
            audioExtradata: [], videoDuration: 0, audioDuration: nil, hiddenVideoPackets: 0, frameRate: nil)
        fact.isStill = true
        fact.color = color
        return fact
    }

    /// Width and height a viewer sees (aspect ratio and rotation applied).
    var displaySize: (width: Int, height: Int) {
        (video.displayWidth ?? video.width ?? 0, video.displayHeight ?? video.height ?? 0)
    }

    /// Packets whose timestamps measure a variable rate.
    private static let measuredPackets = 240

    /// The rate a stream is meant to play at. A constant rate when the average (`avg_frame_rate`) and the real
    /// rate (`r_frame_rate`) agree or only one is known; for a variable rate the real one, the nominal rate, when
    /// it is a plausible frame rate (at most 240 fps; a phone's `90000/1` is its clock, not a rate). Nil when
    /// neither applies.
    static func nominalRate(_ video: StreamInfo) -> Rational? {
        let average = video.averageFrameRate.flatMap { $0.isUnknown ? nil : $0.reduced }
        let real = video.realFrameRate.flatMap { $0.isUnknown ? nil : $0.reduced }
        guard let average, let real, average != real else { return average ?? real }
        return (real.value ?? .infinity) <= 240 ? real : nil
    }

    /// The rate of the most common gap between consecutive presentation timestamps (in presentation order).
    static func mostCommonRate(_ timestamps: [Int64], timeBase: Rational) -> Rational? {
        let sorted = timestamps.sorted()
        let gaps = zip(sorted.dropFirst(), sorted).map { $0 - $1 }.filter { $0 > 0 }
        let counts = Dictionary(gaps.map { ($0, 1) }, uniquingKeysWith: +)
        guard let gap = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key,
            let ticks = Int32(exactly: Int64(timeBase.numerator) * gap), !timeBase.isUnknown
        else { return nil }
        return Rational(timeBase.denominator, ticks).reduced
    }

    /// The average rate, else the real one: what is left when no other is known.
    static func knownRate(_ video: StreamInfo) -> Rational? {
        [video.averageFrameRate, video.realFrameRate].compactMap { $0 }.first { !$0.isUnknown }?.reduced
    }

    /// Square pixels when the file states none.
    var sampleAspectRatio: Rational {
        video.sampleAspectRatio.map { $0.isUnknown ? Rational(1, 1) : $0.reduced } ?? Rational(1, 1)
    }
}

private func extradata(_ stream: MediaStream) -> [UInt8] {
    let parameters = stream.pointer.pointee.codecpar.pointee
    guard let data = parameters.extradata, parameters.extradata_size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: Int(parameters.extradata_size)))
}

extension StitchInput {
    /// Half a frame in seconds: how near a cut must be to a keyframe to be on it.
    private var halfFrame: Double { 0.5 / (frameRate?.value ?? 25) }

    /// Where a copy of this input must cut: its in point (when after the start) and its out point (when before
    /// the end), in seconds from the start of the video.
    private var cuts: [Double] {
        guard trim != nil else { return [] }
        return (keptStart > 0 ? [keptStart] : [])
            + (trim?.end != nil && keptEnd < videoDuration - halfFrame ? [keptEnd] : [])
    }

    /// Why a copy cannot keep this input's trim (a cut off a keyframe), naming the nearest keyframes; nil when
    /// it is untrimmed or cut on keyframes.
    var cutOffKeyframe: String? {
        func nearest(_ seconds: Double) -> String {
            let before = keyframes.last { $0 <= seconds }
            let after = keyframes.first { $0 > seconds }
            let named = [before, after].compactMap { $0 }.map { "\(String(seconds: $0)) s" }
            return named.isEmpty ? "no keyframes" : "nearest \(named.joined(separator: ", "))"
        }
        for cut in cuts where !isOnKeyframe(cut) {
            let side = cut == keptStart && keptStart > 0 ? "starts" : "ends"
            return "\(name) \(side) at \(String(seconds: cut)) s, not on a keyframe (\(nearest(cut)))"
        }
        return nil
    }

    private func isOnKeyframe(_ seconds: Double) -> Bool { keyframes.contains { abs($0 - seconds) < halfFrame } }

    /// The keyframes on each side of each cut, sorted, in seconds from the start of the video, and where a seek
    /// must aim for reading to pass the keyframe at or before the in point.
    ///
    /// A seek lands on the keyframe at or before its target in indexed containers (MP4, MOV, Matroska), so a
    /// few packets per cut tell whether it is on a keyframe, instead of the whole file. MPEG-TS seeks by
    /// timestamps and can land past that keyframe: then the target moves back (1 s, 2 s, 4 s…) until the first
    /// keyframe read is not after the cut.
    fileprivate func keyframes(at cuts: [Double], of video: MediaStream) throws -> (keyframes: [Double], seek: Double) {
        let file = video.file
        file.discardAll(except: [video])
        let packet = try Packet()
        var found: Set<Double> = []
        var startSeek = keptStart
        for cut in cuts {
            var target = cut
            var step = 1.0
            while true {
                try file.seek(to: target, in: video)
                var before: Double?
                while try file.read(into: packet) {
                    guard packet.streamIndex == video.index, packet.isKeyframe, !packet.isDiscarded,
                        let pts = packet.pts
                    else { continue }
                    let seconds = video.secondsFromStart(pts)
                    if seconds > cut + halfFrame {
                        if before != nil { found.insert(seconds) }
                        break
                    }
                    before = seconds
                }
                if let before { found.insert(before) }
                if before != nil || target <= 0 { break }
                target -= step
                step *= 2
            }
            if cut == keptStart { startSeek = target }
        }
        return (found.sorted(), startSeek)
    }
}

extension [StitchInput] {
    /// The input whose size and frame rate a re-encode takes when none is asked for: the first moving one (a title
    /// card's picture size and its demuxer's nominal 25 fps say nothing of the episode).
    var leading: StitchInput? { first { !$0.isStill } ?? first }
}
