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

    /// Opens `path` and reads its facts; errors name the input by position and path. A video frame above
    /// `pixelLimit` is refused here, whichever way the stitch goes.
    static func read(
        position: Int, path: String, lookForHiddenFrames: Bool, pixelLimit: PixelLimit,
        cancellation: CancellationFlag?
    ) throws(StitchError) -> StitchInput {
        do {
            let file = try InputFile(path: path, cancellation: cancellation, pixelLimit: pixelLimit)
            let video = try file.requireStream(.video)
            let audio = file.bestStream(.audio)
            let videoInfo = video.info
            try pixelLimit.check(width: videoInfo.width ?? 0, height: videoInfo.height ?? 0, file: path)
            let audioInfo = audio?.info
            let fallback = file.duration
            var hidden = 0
            if lookForHiddenFrames {
                file.discardAll(except: [video])
                let packet = try Packet()
                while try file.read(into: packet) {
                    guard packet.streamIndex == video.index else { continue }
                    guard packet.isDiscarded else { break }
                    hidden += 1
                }
            }
            return StitchInput(
                position: position, path: path, name: path.split(separator: "/").last.map(String.init) ?? path,
                video: videoInfo, videoLevel: video.pointer.pointee.codecpar.pointee.level,
                videoExtradata: extradata(video), audio: audioInfo, audioExtradata: audio.map(extradata) ?? [],
                videoDuration: videoInfo.duration ?? fallback ?? 0,
                audioDuration: audioInfo.map { $0.duration ?? fallback ?? 0 }, hiddenVideoPackets: hidden)
        } catch {
            throw StitchError.input(position, path, error)
        }
    }

    /// Width and height a viewer sees (aspect ratio and rotation applied).
    var displaySize: (width: Int, height: Int) {
        (video.displayWidth ?? video.width ?? 0, video.displayHeight ?? video.height ?? 0)
    }

    /// The frame rate: average, else real.
    var frameRate: Rational? {
        if let rate = video.averageFrameRate, !rate.isUnknown { return rate.reduced }
        if let rate = video.realFrameRate, !rate.isUnknown { return rate.reduced }
        return nil
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
