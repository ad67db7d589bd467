import CFFmpeg

/// The copy path: packets remuxed without decoding, timestamps re-based so the output is gapless and monotonic.
///
/// Video packets keep their spacing (B-frame reordering included) and move by the sum of the earlier inputs'
/// lengths. Audio packets are laid end to end from a running sample cursor, priming packets of later inputs
/// dropped, and each input's audio stops within half a packet of its video end, so the two never drift apart.
/// A trimmed input (cut on keyframes: the plan copies nothing else) keeps the packets from its first kept
/// keyframe up to the one its out point names, and reading stops there.
struct StitchCopier {
    let facts: [StitchInput]
    let output: OutputFile
    let cancellation: CancellationFlag?
    let pixelLimit: PixelLimit
    let progress: (StitchProgress) -> Void

    func run() throws(StitchError) -> [StitchedInput] {
        guard let first = facts.first else { throw .noInputs }
        var files: [InputFile] = []
        for fact in facts {
            do {
                files.append(
                    try fact.file ?? InputFile(path: fact.path, cancellation: cancellation, pixelLimit: pixelLimit))
            } catch {
                throw StitchError.input(fact.position, fact.path, error)
            }
        }
        let videoOut: Int
        var audioOut: Int?
        do {
            let firstFile = files[0]
            videoOut = try output.addStream(copying: try firstFile.requireStream(.video))
            if first.audio != nil, let audio = firstFile.bestStream(.audio) {
                audioOut = try output.addStream(copying: audio)
            }
            try output.writeHeader(options: Stitcher.muxerOptions)
        } catch {
            throw .output(path: output.path, cause: StitchError.cause(of: error, at: output.path))
        }
        let videoBase = output.timeBase(of: videoOut)
        let audioBase = audioOut.map { output.timeBase(of: $0) }
        let total = facts.reduce(0) { $0 + $1.keptDuration }
        var state = CopyState()
        var placed: [StitchedInput] = []
        for (index, file) in files.enumerated() {
            let fact = facts[index]
            let offset = Double(state.videoOffset) * (videoBase.value ?? 0)
            do {
                try copy(
                    file, index: index, videoOut: videoOut, audioOut: audioOut, videoBase: videoBase,
                    audioBase: audioBase, total: total, state: &state)
            } catch let error as StitchError {
                throw error
            } catch {
                throw StitchError.input(fact.position, fact.path, error)
            }
            let end = Double(state.videoOffset) * (videoBase.value ?? 0)
            placed.append(StitchedInput(path: fact.path, offset: offset, duration: end - offset))
        }
        return placed
    }

    struct CopyState {
        /// Start of the next input's video, in the output video time base.
        var videoOffset: Int64 = 0
        var lastVideoDTS: Int64?
        /// Where the next audio packet goes, in the output audio time base.
        var audioCursor: Int64 = 0
        var lastAudioDTS: Int64?
    }

    private func copy(
        _ file: InputFile, index: Int, videoOut: Int, audioOut: Int?, videoBase: Rational, audioBase: Rational?,
        total: Double, state: inout CopyState
    ) throws {
        let fact = facts[index]
        let video = try file.requireStream(.video)
        let audio = audioOut == nil ? nil : file.bestStream(.audio)
        file.discardAll(except: [video] + (audio.map { [$0] } ?? []))
        let videoIn = video.timeBase
        let videoStart = (video.startTimestamp ?? 0) + rescale(seconds: fact.keptStart, videoIn)
        let videoStop = fact.trim?.end.map { _ in (video.startTimestamp ?? 0) + rescale(seconds: fact.keptEnd, videoIn)
        }
        if fact.keptStart > 0 { try file.seek(to: fact.startSeek, in: video) }
        // An input cut at an in point starts at its keyframe: whatever the seek lands on before it is skipped.
        var started = fact.keptStart == 0
        let halfFrame = rescale(seconds: 0.5 / (fact.frameRate?.value ?? 25), videoIn)
        let segmentStart = state.videoOffset
        var segmentEnd = segmentStart
        let plannedEnd = segmentStart + rescale(seconds: fact.keptDuration, videoBase)
        let audioSegmentEnd = audioBase.map { base in rescale(plannedEnd, videoBase, base) }
        var audioDone = false
        // Past a trim's out point once a video packet decodes at or after it: every later one shows later still.
        var videoDone = false
        var videoPackets: Int64 = 0
        let packet = try Packet()
        var lastReport = -1.0
        while !(videoDone && (audio == nil || audioDone)), try file.read(into: packet) {
            if packet.streamIndex == video.index {
                if packet.isDiscarded { continue }
                videoPackets += 1
                let pts = packet.pts ?? packet.dts ?? videoStart
                if let videoStop, (packet.dts ?? pts) >= videoStop { videoDone = true }
                if !started {
                    guard packet.isKeyframe, pts >= videoStart - halfFrame else { continue }
                    guard pts <= videoStart + halfFrame else {
                        throw AVError.invalidArgument(
                            "no keyframe at \(String(seconds: fact.keptStart)) s to copy from (the seek passed it)")
                    }
                    started = true
                }
                if fact.trim != nil, pts < videoStart || pts >= (videoStop ?? .max) { continue }
                let dts = packet.dts ?? pts
                var outPTS = segmentStart + rescale(pts - videoStart, videoIn, videoBase)
                var outDTS = segmentStart + rescale(dts - videoStart, videoIn, videoBase)
                let duration = rescale(packet.duration, videoIn, videoBase)
                if let last = state.lastVideoDTS, outDTS <= last {
                    outDTS = last + 1
                    outPTS = max(outPTS, outDTS)
                }
                state.lastVideoDTS = outDTS
                segmentEnd = max(segmentEnd, outPTS + max(duration, 0))
                packet.pts = outPTS
                packet.dts = outDTS
                packet.duration = duration
                packet.streamIndex = videoOut
                try output.write(packet)
                let done = Double(outPTS) * (videoBase.value ?? 0)
                if done - lastReport >= 0.5 {
                    lastReport = done
                    progress(StitchProgress(input: index, inputCount: facts.count, seconds: done, totalSeconds: total))
                }
            } else if let audio, let audioOut, let audioBase, let audioSegmentEnd, packet.streamIndex == audio.index {
                if packet.isDiscarded || audioDone { continue }
                let audioIn = audio.timeBase
                // A decoder plays every packet whole (1024 samples for AAC) even where the input's edit list
                // trimmed its last one; only the output's final packet may stay trimmed.
                let frameSize = Int64(audio.pointer.pointee.codecpar.pointee.frame_size)
                let sampleRate = audio.pointer.pointee.codecpar.pointee.sample_rate
                let duration =
                    index < facts.count - 1 && frameSize > 0 && sampleRate > 0
                    ? rescale(frameSize, Rational(1, sampleRate), audioBase)
                    : rescale(packet.duration, audioIn, audioBase)
                let pts = packet.pts ?? packet.dts ?? 0
                let videoStartInAudio = rescale(videoStart, videoIn, audioIn)
                let audioStart = fact.keptStart > 0 ? videoStartInAudio : audio.startTimestamp ?? 0
                let outPTS: Int64
                if index == 0 && fact.keptStart == 0 {
                    // The first input keeps its own timeline: priming before zero stays, hidden by the muxer's edit list.
                    outPTS = rescale(pts - videoStartInAudio, audioIn, audioBase)
                } else {
                    if pts + packet.duration <= audioStart { continue }
                    outPTS = state.audioCursor
                }
                if outPTS >= audioSegmentEnd - duration / 2 {
                    audioDone = true
                    continue
                }
                if let last = state.lastAudioDTS, outPTS <= last { continue }
                state.lastAudioDTS = outPTS
                state.audioCursor = outPTS + duration
                packet.pts = outPTS
                packet.dts = outPTS
                packet.duration = duration
                packet.streamIndex = audioOut
                try output.write(packet)
            }
        }
        if fact.trim == nil, let expected = fact.video.frameCount, videoPackets < expected {
            throw AVError.truncated(
                file: fact.path, detail: "\(videoPackets) of \(expected) video frames could be read")
        }
        state.videoOffset = segmentEnd
    }

    private func rescale(_ value: Int64, _ from: Rational, _ to: Rational) -> Int64 {
        av_rescale_q_rnd(value, from.av, to.av, AVRounding(AV_ROUND_NEAR_INF.rawValue | AV_ROUND_PASS_MINMAX.rawValue))
    }

    private func rescale(seconds: Double, _ base: Rational) -> Int64 {
        guard let unit = base.value, unit > 0 else { return 0 }
        return Int64((seconds / unit).rounded())
    }
}
