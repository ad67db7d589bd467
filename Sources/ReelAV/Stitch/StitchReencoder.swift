import CFFmpeg

/// The re-encode path: every input decoded, pictures composed into one size at one constant frame rate, audio
/// resampled to one rate and layout, and each input's audio padded or trimmed to its video length so that
/// audio and video start together at every boundary. The container's codecs: H.264 or HEVC + AAC, VP9 + Opus in
/// WebM.
///
/// A transition into an input overlaps it with the end of the input before: the pictures that end is made of are
/// held back instead of encoded, then blended one by one with the next input's first pictures, and the audio queued
/// for that end is taken back out of the FIFO and mixed into the next input's first samples.
final class StitchReencoder {
    let facts: [StitchInput]
    let output: OutputFile
    let container: StitchContainer
    let options: StitchOptions
    let cancellation: CancellationFlag?
    let progress: (StitchProgress) -> Void
    let width: Int
    let height: Int
    let frameRate: Rational

    private var videoEncoder: MediaEncoder?
    private var audioEncoder: MediaEncoder?
    private var videoOut = 0
    private var audioOut = 0
    private let fifo: AudioFIFO
    private let packet: Packet
    private let audioFrame: Frame
    /// Interleaves audio for an encoder that takes no planar samples (libopus), made at the first frame.
    private var interleaver: Resampler?
    private let interleavedFrame: Frame
    /// Output video frames and audio samples sent to the encoders so far.
    private var framesOut: Int64 = 0
    private var samplesEncoded: Int64 = 0
    /// Audio samples put into the FIFO so far (all inputs), i.e. where the next input's audio begins.
    private(set) var samplesQueued: Int64 = 0
    private let totalSeconds: Double
    /// Output frames and audio samples the plan expects (where a fade out ends).
    private let plannedFrames: Int64
    private var currentInput = 0
    private var lastReport = -1.0
    /// Output frames placed so far (encoded, held back or blended): where the next picture lands.
    private var framesPlaced: Int64 = 0
    /// How many of the current input's last pictures the transition out of it overlaps, and those held so far.
    private var holdBack = 0
    private var heldBack: [Frame] = []
    /// The end of the input before (pictures, and audio per channel), blended into the current input's start.
    private var tail: (style: TransitionStyle, pictures: [Frame], audio: [[Float]]) = (.cut, [], [])
    private var tailPicturesShown = 0
    private var tailSamplesMixed = 0
    /// The picture laid over the output, when there is one.
    private let overlay: OverlayPicture?
    /// What loudness normalization measured and did (per input, or once for the output), and the linear gain for
    /// each input's samples.
    private(set) var loudness: [LoudnessAdjustment] = []
    private var gains: [Float] = []
    /// The music bed's sound, mixed in as the audio is encoded.
    private var music: MusicBedReader?

    init(
        facts: [StitchInput], output: OutputFile, container: StitchContainer, options: StitchOptions,
        overlay: PlannedOverlay?, cancellation: CancellationFlag?, progress: @escaping (StitchProgress) -> Void
    ) throws(StitchError) {
        guard let first = facts.leading else { throw .noInputs }
        self.facts = facts
        self.output = output
        self.container = container
        self.options = options
        self.cancellation = cancellation
        self.progress = progress
        (width, height) = Self.outputSize(of: facts, options: options)
        frameRate = options.frameRate?.reduced ?? first.frameRate ?? Rational(25, 1)
        let fps = frameRate.value ?? 25
        let overlaps = (1...facts.count).reduce(Int64(0)) { $0 + options.overlap(into: $1, at: fps) }
        plannedFrames = facts.reduce(-overlaps) { $0 + Self.frames(lasting: $1.keptDuration, at: fps) }
        totalSeconds = Double(plannedFrames) / fps
        guard options.pixelLimit.allows(width: width, height: height) else {
            throw .output(path: output.path, cause: options.pixelLimit.refusal(width: width, height: height))
        }
        do {
            fifo = try AudioFIFO(channels: options.audioChannels, sampleRate: options.audioSampleRate)
            packet = try Packet()
            audioFrame = try Frame()
            interleavedFrame = try Frame()
        } catch {
            throw .output(path: output.path, cause: "\(error)")
        }
        self.overlay = try overlay.map { plan throws(StitchError) in
            try OverlayPicture(plan, pixelLimit: options.pixelLimit)
        }
    }

    /// The size of the pictures written: the options', else the first clip's display size made even.
    static func outputSize(of facts: [StitchInput], options: StitchOptions) -> (width: Int, height: Int) {
        let display = facts.leading?.displaySize ?? (width: 2, height: 2)
        return (options.width ?? max(2, display.width / 2 * 2), options.height ?? max(2, display.height / 2 * 2))
    }

    func run() throws(StitchError) -> [StitchedInput] {
        do {
            try openEncoders()
        } catch {
            throw .output(path: output.path, cause: StitchError.cause(of: error, at: output.path))
        }
        try measureLoudness()
        if let bed = options.music {
            do {
                music = try MusicBedReader(
                    bed, sampleRate: options.audioSampleRate, channels: options.audioChannels,
                    cancellation: cancellation)
            } catch {
                throw .music(path: bed.path, cause: StitchError.cause(of: error, at: bed.path))
            }
        }
        var placed: [StitchedInput] = []
        let fps = frameRate.value ?? 25
        for (index, fact) in facts.enumerated() {
            currentInput = index
            do {
                if let transition = options.transition(into: index + 1) {
                    try beginTransition(transition, into: fact)
                }
                holdBack = index + 1 < facts.count ? Int(options.overlap(into: index + 2, at: fps)) : 0
                let startFrame = framesPlaced
                try append(fact)
                if tailPicturesShown < tail.pictures.count {
                    throw StitchError.invalidOption(
                        "input \(fact.position) (\(fact.name)) is shorter than the transition into it")
                }
                placed.append(
                    StitchedInput(
                        path: fact.path, offset: seconds(frames: startFrame),
                        duration: seconds(frames: framesPlaced - startFrame)))
            } catch let error as StitchError {
                throw error
            } catch {
                throw StitchError.input(fact.position, fact.path, error)
            }
        }
        do {
            try drainAudio(final: true)
            try videoEncoder?.encode(nil, into: packet) { try write($0, stream: videoOut, from: videoTimeBase) }
            try audioEncoder?.encode(nil, into: packet) { try write($0, stream: audioOut, from: audioTimeBase) }
        } catch {
            throw .output(path: output.path, cause: StitchError.cause(of: error, at: output.path))
        }
        return placed
    }

    /// Measures the inputs' sound as ``StitchOptions/loudness`` asks (each input, or all of them as one) and sets
    /// each input's gain.
    private func measureLoudness() throws(StitchError) {
        gains = Array(repeating: 1, count: facts.count)
        guard let settings = options.loudness else { return }
        func meter() throws(StitchError) -> LoudnessMeter {
            do {
                return try LoudnessMeter(sampleRate: options.audioSampleRate, channels: options.audioChannels)
            } catch {
                throw .output(path: output.path, cause: "\(error)")
            }
        }
        func measure(_ fact: StitchInput, with meter: LoudnessMeter) throws(StitchError) {
            do {
                try meter.add(
                    fact, sampleRate: options.audioSampleRate, cancellation: cancellation,
                    pixelLimit: options.pixelLimit)
            } catch {
                throw .input(fact.position, fact.path, error)
            }
        }
        func finish(_ meter: LoudnessMeter, input: Int?) throws(StitchError) -> LoudnessAdjustment {
            do {
                let (integrated, peak) = try meter.finish()
                return settings.adjustment(input: input, integrated: integrated, peak: peak)
            } catch {
                throw .output(path: output.path, cause: "measuring loudness: \(error)")
            }
        }
        switch settings.scope {
        case .clip:
            for fact in facts {
                let clip = try meter()
                try measure(fact, with: clip)
                loudness.append(try finish(clip, input: fact.position))
            }
            gains = loudness.map { Float(pow(10, $0.gain / 20)) }
        case .output:
            let whole = try meter()
            for fact in facts { try measure(fact, with: whole) }
            let adjustment = try finish(whole, input: nil)
            loudness = [adjustment]
            gains = Array(repeating: Float(pow(10, adjustment.gain / 20)), count: facts.count)
        }
    }

    /// Multiplies the current input's resampled samples (planar float) by its loudness gain.
    fileprivate func amplify(_ frame: Frame) {
        let gain = gains[currentInput]
        let count = frame.sampleCount
        guard gain != 1, count > 0, let planes = frame.pointer.pointee.extended_data else { return }
        for channel in 0..<options.audioChannels {
            planes[channel]?.withMemoryRebound(to: Float.self, capacity: count) { samples in
                for index in 0..<count { samples[index] *= gain }
            }
        }
    }

    /// Output frames a part of `seconds` lasts at `fps`, a half frame rounded down (2.02 s at 25 fps is 50).
    static func frames(lasting seconds: Double, at fps: Double) -> Int64 {
        max(1, Int64((seconds * fps - 0.5 - 1e-9).rounded(.up)))
    }

    private var videoTimeBase: Rational { Rational(frameRate.denominator, frameRate.numerator) }
    private var audioTimeBase: Rational { Rational(1, Int32(options.audioSampleRate)) }

    private func seconds(frames: Int64) -> Double {
        Double(frames) * Double(frameRate.denominator) / Double(frameRate.numerator)
    }

    /// Audio samples from the output's start to the start of video frame `frames`.
    fileprivate func samples(atFrame frames: Int64) -> Int64 {
        av_rescale(frames, Int64(options.audioSampleRate) * Int64(frameRate.denominator), Int64(frameRate.numerator))
    }

    private func openEncoders() throws {
        let codec = options.videoCodec ?? container.defaultVideoCodec
        let video = try MediaEncoder(
            video: VideoEncoderSettings(
                codec: codec.encoder, width: width, height: height, pixelFormat: .yuv420p, timeBase: videoTimeBase,
                frameRate: frameRate, sampleAspectRatio: Rational(1, 1),
                options: codec.encoderOptions(preset: options.preset, crf: options.crf), bitRate: codec.bitRate,
                threads: options.encoderThreads, globalHeader: true, bitExact: true))
        let audio = try MediaEncoder(
            audio: AudioEncoderSettings(
                codec: container.audioEncoder, sampleRate: options.audioSampleRate, channels: options.audioChannels))
        videoOut = try output.addStream(encoder: video)
        audioOut = try output.addStream(encoder: audio)
        try output.writeHeader(options: Stitcher.muxerOptions)
        videoEncoder = video
        audioEncoder = audio
    }

    private func write(_ packet: Packet, stream: Int, from base: Rational) throws {
        packet.rescale(from: base, to: output.timeBase(of: stream))
        packet.streamIndex = stream
        try output.write(packet)
    }

    /// Decodes one input and appends it: video at the output rate, audio padded or trimmed to the same length.
    private func append(_ fact: StitchInput) throws {
        if let color = fact.color { return try appendCard(color, lasting: fact.videoDuration) }
        let file = try InputFile(path: fact.path, cancellation: cancellation, pixelLimit: options.pixelLimit)
        let videoStream = try file.requireStream(.video)
        let audioStream = file.bestStream(.audio)
        file.discardAll(except: [videoStream] + (audioStream.map { [$0] } ?? []))
        if fact.keptStart > 0 { try file.seek(to: fact.keptStart, in: videoStream) }
        let segment = try Segment(
            owner: self, fact: fact, video: videoStream, audio: audioStream, startFrame: framesPlaced,
            startSample: samplesQueued)
        let input = try Packet()
        var videoPackets: Int64 = 0
        while !segment.isPastEnd, try file.read(into: input) {
            if input.streamIndex == videoStream.index {
                videoPackets += 1
                try segment.decodeVideo(input)
            } else if let audioStream, input.streamIndex == audioStream.index {
                try segment.decodeAudio(input)
            }
        }
        try segment.decodeVideo(nil)
        if audioStream != nil { try segment.decodeAudio(nil) }
        if fact.trim == nil, let expected = fact.video.frameCount, videoPackets < expected {
            throw AVError.truncated(
                file: fact.path, detail: "\(videoPackets) of \(expected) video frames could be read")
        }
        guard segment.sawVideo else {
            throw AVError.truncated(file: fact.path, detail: "no video frame could be decoded")
        }
        try segment.finish()
    }

    /// Appends a colour card: one solid picture for as many frames as `seconds` lasts, and silence as long.
    private func appendCard(_ color: CardColor, lasting seconds: Double) throws {
        let picture = try PictureCompositor.solid(color, width: width, height: height)
        for _ in 0..<Self.frames(lasting: seconds, at: frameRate.value ?? 25) { try emit(picture) }
        try queueSilence(samples(atFrame: framesPlaced) - samplesQueued)
    }

    /// Takes the pictures held back at the end of the input before (`transition`'s overlap) as the tail to blend
    /// into `fact`'s first pictures, and the audio queued for that end out of the FIFO, to mix into its first
    /// samples.
    private func beginTransition(_ transition: Transition, into fact: StitchInput) throws {
        guard heldBack.count == holdBack, holdBack > 0 else {
            throw StitchError.invalidOption(
                "input \(fact.position - 1) is shorter than the \(transition.style.rawValue) into input \(fact.position)"
            )
        }
        framesPlaced -= Int64(heldBack.count)
        let start = samples(atFrame: framesPlaced)
        let kept = try Frame()
        let keep = try fifo.read(Int(start - samplesEncoded), into: kept)
        let ending = try Frame()
        let count = try fifo.read(Int(samplesQueued - start), into: ending)
        fifo.reset()
        if keep > 0 { try fifo.write(kept, skipping: 0, samples: keep) }
        samplesQueued = start
        var audio: [[Float]] = []
        if count > 0, let planes = ending.pointer.pointee.extended_data {
            for channel in 0..<options.audioChannels {
                audio.append(
                    planes[channel].map { plane in
                        plane.withMemoryRebound(to: Float.self, capacity: count) {
                            Array(UnsafeBufferPointer(start: $0, count: count))
                        }
                    } ?? Array(repeating: 0, count: count))
            }
        }
        tail = (transition.style, heldBack, audio)
        heldBack = []
        tailPicturesShown = 0
        tailSamplesMixed = 0
    }

    /// Places one composed picture at output frame `framesPlaced`: blended with the tail of the input before while
    /// a transition into this one lasts, held back while it is among the pictures the transition out of it
    /// overlaps, encoded otherwise (the oldest held picture goes out for each one held).
    fileprivate func emit(_ picture: Frame) throws {
        try cancellation?.check()
        var placed = picture
        if tailPicturesShown < tail.pictures.count {
            let progress = Double(tailPicturesShown) / Double(tail.pictures.count)
            placed = try PictureCompositor.transition(
                tail.style, from: tail.pictures[tailPicturesShown], to: picture, progress: progress)
            tailPicturesShown += 1
            if tailPicturesShown == tail.pictures.count {
                // Blended in full: the pictures go (a second of 1080p is about 90 MB).
                tail.pictures = []
                tailPicturesShown = 0
            }
        }
        framesPlaced += 1
        if holdBack > 0 {
            heldBack.append(placed)
            guard heldBack.count > holdBack else { return }
            placed = heldBack.removeFirst()
        }
        try encode(placed)
    }

    /// Encodes one picture as output frame `framesOut`, the overlay laid over it and then faded with it.
    private func encode(_ picture: Frame) throws {
        var shown = picture
        if let overlay, overlay.shows(frame: framesOut, rate: frameRate.value ?? 25) {
            shown = try overlay.laid(over: picture)
        }
        if let fade = options.fade {
            let gain = fade.gain(at: framesOut, of: plannedFrames, rate: frameRate.value ?? 25)
            if gain < 1 { shown = try PictureCompositor.faded(shown, gain: gain) }
        }
        shown.pts = framesOut
        try videoEncoder?.encode(shown, into: packet) { try write($0, stream: videoOut, from: videoTimeBase) }
        framesOut += 1
        try drainAudio(final: false)
        let done = seconds(frames: framesOut)
        if done - lastReport >= 0.25 {
            lastReport = done
            progress(
                StitchProgress(input: currentInput, inputCount: facts.count, seconds: done, totalSeconds: totalSeconds))
        }
    }

    /// Queues resampled audio (the first `count` samples of `frame`, after skipping `skip`), mixed with the tail
    /// of the input before while a transition lasts.
    fileprivate func queue(_ frame: Frame, skip: Int = 0, count: Int? = nil) throws {
        let available = frame.sampleCount - skip
        let take = min(available, count ?? available)
        guard take > 0 else { return }
        mixTail(into: frame, from: skip, count: take)
        try fifo.write(frame, skipping: skip, samples: take)
        samplesQueued += Int64(take)
    }

    /// Mixes the next samples of the tail's audio into `count` planar float samples of `frame` from `start`:
    /// equal-power gains (the two add up to the same loudness), or for `fade-black` the tail down to silence over
    /// the first half and this input up from silence over the second.
    private func mixTail(into frame: Frame, from start: Int, count: Int) {
        let length = tail.audio.first?.count ?? 0
        let mixed = min(count, length - tailSamplesMixed)
        guard mixed > 0, let planes = frame.pointer.pointee.extended_data else { return }
        for channel in 0..<min(options.audioChannels, tail.audio.count) {
            guard let plane = planes[channel] else { continue }
            plane.withMemoryRebound(to: Float.self, capacity: start + count) { samples in
                for index in 0..<mixed {
                    let progress = (Double(tailSamplesMixed + index) + 0.5) / Double(length)
                    let (from, to) =
                        tail.style == .fadeBlack
                        ? (max(0, 1 - 2 * progress), max(0, 2 * progress - 1))
                        : (cos(progress * .pi / 2), sin(progress * .pi / 2))
                    samples[start + index] =
                        tail.audio[channel][tailSamplesMixed + index] * Float(from) + samples[start + index] * Float(to)
                }
            }
        }
        tailSamplesMixed += mixed
        if tailSamplesMixed == length {
            tail.audio = []
            tailSamplesMixed = 0
        }
    }

    /// Queues `count` samples of silence, a second at a time, encoding as it goes so a long silent input never
    /// sits in memory whole; while a transition lasts, the tail of the input before fading out over it.
    fileprivate func queueSilence(_ count: Int64) throws {
        let mixed = min(count, Int64((tail.audio.first?.count ?? 0) - tailSamplesMixed))
        if mixed > 0 {
            let quiet = try Frame()
            try quiet.allocateAudio(
                samples: Int(mixed), channels: options.audioChannels, sampleRate: options.audioSampleRate)
            av_samples_set_silence(
                quiet.pointer.pointee.extended_data, 0, Int32(mixed), Int32(options.audioChannels),
                AVSampleFormat(quiet.pointer.pointee.format))
            try queue(quiet)
        }
        var remaining = count - max(0, mixed)
        while remaining > 0 {
            let chunk = min(remaining, Int64(options.audioSampleRate))
            try fifo.writeSilence(Int(chunk))
            samplesQueued += chunk
            remaining -= chunk
            try drainAudio(final: false)
        }
    }

    /// Cuts the queued audio back to end at `end` (samples from the output's start).
    fileprivate func trimQueue(to end: Int64) throws {
        guard samplesQueued > end else { return }
        let keep = Int(max(0, end - samplesEncoded))
        let kept = try Frame()
        try fifo.read(keep, into: kept)
        fifo.reset()
        if keep > 0 { try fifo.write(kept, skipping: 0, samples: keep) }
        samplesQueued = samplesEncoded + Int64(keep)
    }

    /// Encodes queued audio in encoder-sized frames, never past the video written so far (the part of the
    /// timeline that is settled); with `final`, everything left.
    private func drainAudio(final: Bool) throws {
        guard let audioEncoder else { return }
        let frameSize = max(audioEncoder.frameSize, 1)
        let limit = final ? samplesQueued : min(samplesQueued, samples(atFrame: framesOut))
        while limit - samplesEncoded >= Int64(frameSize) || (final && limit > samplesEncoded) {
            let count = try fifo.read(Int(min(Int64(frameSize), limit - samplesEncoded)), into: audioFrame)
            guard count > 0 else { break }
            audioFrame.pts = samplesEncoded
            try music?.mix(into: audioFrame, at: samplesEncoded, total: samples(atFrame: plannedFrames))
            if let fade = options.fade { fadeAudio(fade, from: samplesEncoded) }
            samplesEncoded += Int64(count)
            try audioEncoder.encode(try encoderShaped(audioFrame, for: audioEncoder), into: packet) {
                try write($0, stream: audioOut, from: audioTimeBase)
            }
        }
    }

    /// Scales the samples in ``audioFrame`` (output samples from `start` on) by the fade's gain.
    private func fadeAudio(_ fade: Fade, from start: Int64) {
        let count = audioFrame.sampleCount
        let total = samples(atFrame: plannedFrames)
        let rate = Double(options.audioSampleRate)
        let gains = (0..<count).map { fade.gain(at: start + Int64($0), of: total, rate: rate) }
        guard gains.contains(where: { $0 < 1 }), let planes = audioFrame.pointer.pointee.extended_data else { return }
        for channel in 0..<options.audioChannels {
            guard let plane = planes[channel] else { continue }
            plane.withMemoryRebound(to: Float.self, capacity: count) { samples in
                for index in 0..<count { samples[index] *= Float(gains[index]) }
            }
        }
    }

    /// `frame` as `encoder` takes it: itself when planar, else interleaved (same rate, so no samples are held back).
    private func encoderShaped(_ frame: Frame, for encoder: MediaEncoder) throws -> Frame {
        guard !encoder.takesPlanarSamples else { return frame }
        let interleaver =
            try interleaver
            ?? Resampler(
                from: frame, sampleRate: options.audioSampleRate, channels: options.audioChannels, interleaved: true)
        self.interleaver = interleaver
        try interleaver.convert(frame, into: interleavedFrame)
        interleavedFrame.pts = frame.pts
        return interleavedFrame
    }
}

@available(*, unavailable)
extension StitchReencoder: Sendable {}

/// One input's decode state within a re-encode.
private final class Segment {
    unowned let owner: StitchReencoder
    let fact: StitchInput
    let videoDecoder: MediaDecoder
    let audioDecoder: MediaDecoder?
    let compositor: PictureCompositor
    /// Timestamps of the first picture kept and of the end of what is kept (nil: the stream's end).
    let videoStart: Int64
    let videoStop: Int64?
    let videoBase: Rational
    let startFrame: Int64
    let startSample: Int64
    let decoded: Frame
    let resampled: Frame
    private var resampler: Resampler?
    /// The newest decoded picture not yet shown, and the output slot (relative to this input) it belongs to.
    private var pending: Frame
    private var pendingSlot: Int64?
    private var nextSlot: Int64 = 0
    /// End of the last decoded picture, in the stream's time base.
    private var videoEnd: Int64
    private(set) var sawVideo = false
    private var audioStarted = false
    /// Resampled audio samples still to drop before the first kept picture's time.
    private var audioSkip = 0
    /// Whether a decoded picture or audio frame has reached ``videoStop``.
    private var videoDone = false
    private var audioDone: Bool
    private let frameDuration: Int64

    init(
        owner: StitchReencoder, fact: StitchInput, video: MediaStream, audio: MediaStream?, startFrame: Int64,
        startSample: Int64
    ) throws {
        self.owner = owner
        self.fact = fact
        videoDecoder = try MediaDecoder(for: video, threads: 0)
        audioDecoder = try audio.map { stream throws in try MediaDecoder(for: stream, threads: 1) }
        compositor = try PictureCompositor(
            width: owner.width, height: owner.height, fit: owner.options.fit, rotation: fact.video.rotation,
            sampleAspectRatio: fact.sampleAspectRatio)
        videoBase = video.timeBase
        let origin = video.startTimestamp ?? 0
        let ticks = { (seconds: Double) in Int64((seconds / (video.timeBase.value ?? 1)).rounded()) }
        videoStart = origin + ticks(fact.keptStart)
        videoStop = fact.trim?.end.map { _ in origin + ticks(fact.keptEnd) }
        audioDone = audio == nil
        videoEnd = videoStart
        self.startFrame = startFrame
        self.startSample = startSample
        decoded = try Frame()
        resampled = try Frame()
        pending = try Frame()
        let rate = fact.frameRate ?? Rational(25, 1)
        frameDuration = max(1, av_rescale_q(1, Rational(rate.denominator, rate.numerator).av, video.timeBase.av))
    }

    func decodeVideo(_ packet: Packet?) throws {
        try videoDecoder.decode(packet, into: decoded) { frame in try take(frame) }
    }

    func decodeAudio(_ packet: Packet?) throws {
        guard let audioDecoder else { return }
        try audioDecoder.decode(packet, into: decoded) { frame in try takeAudio(frame) }
    }

    /// Places a decoded picture by its timestamp: earlier slots get the previous picture (duplicates), a picture
    /// landing in the same slot as the previous one replaces it (drop).
    /// Whether everything kept of this input has been decoded (only when it is trimmed at the end).
    var isPastEnd: Bool { videoDone && audioDone }

    private func take(_ frame: Frame) throws {
        guard let timestamp = frame.bestEffortTimestamp ?? frame.pts, timestamp >= videoStart else { return }
        if let videoStop, timestamp >= videoStop {
            videoDone = true
            return
        }
        sawVideo = true
        let duration = frame.pointer.pointee.pkt_duration > 0 ? frame.pointer.pointee.pkt_duration : frameDuration
        videoEnd = max(videoEnd, timestamp + duration)
        let slot = slotIndex(timestamp - videoStart)
        if pendingSlot != nil, slot > (pendingSlot ?? 0) {
            try show(upTo: slot)
        }
        pending.unref()
        av_frame_move_ref(pending.pointer, frame.pointer)
        pendingSlot = slot
    }

    /// The output slot (relative to this input) nearest to `offset` in the stream's time base.
    private func slotIndex(_ offset: Int64) -> Int64 {
        let rate = owner.frameRate
        return av_rescale_q_rnd(
            offset, videoBase.av, AVRational(num: rate.denominator, den: rate.numerator),
            AVRounding(AV_ROUND_NEAR_INF.rawValue))
    }

    /// Shows the pending picture in every slot from `nextSlot` up to (not including) `end`.
    private func show(upTo end: Int64) throws {
        guard pendingSlot != nil, nextSlot < end else { return }
        let picture = try compositor.compose(pending)
        while nextSlot < end {
            try owner.emit(picture)
            nextSlot += 1
        }
    }

    /// Resamples, then lines the first audio up with the video start (silence before it, or samples cut).
    private func takeAudio(_ frame: Frame) throws {
        if resampler == nil {
            resampler = try Resampler(
                from: frame, sampleRate: owner.options.audioSampleRate, channels: owner.options.audioChannels)
        }
        guard let resampler else { return }
        let timestamp = frame.bestEffortTimestamp ?? frame.pts ?? videoStart
        let audioBase = audioDecoder?.stream.timeBase ?? videoBase
        if let videoStop, timestamp >= av_rescale_q(videoStop, videoBase.av, audioBase.av) {
            audioDone = true
            return
        }
        try resampler.convert(frame, into: resampled)
        owner.amplify(resampled)
        if !audioStarted {
            audioStarted = true
            let videoStartInAudio = av_rescale_q(videoStart, videoBase.av, audioBase.av)
            let position = av_rescale_q(
                timestamp - videoStartInAudio, audioBase.av,
                AVRational(num: 1, den: Int32(owner.options.audioSampleRate)))
            if position > 0 { try owner.queueSilence(position) } else { audioSkip = Int(-position) }
        }
        let skip = min(audioSkip, resampled.sampleCount)
        audioSkip -= skip
        if skip < resampled.sampleCount { try owner.queue(resampled, skip: skip) }
    }

    /// Fills the last slots with the last picture and pads or trims this input's audio to its video length.
    func finish() throws {
        let seconds =
            fact.isStill
            ? fact.videoDuration : Double(min(videoEnd, videoStop ?? videoEnd) - videoStart) * (videoBase.value ?? 0)
        let length = StitchReencoder.frames(lasting: seconds, at: owner.frameRate.value ?? 25)
        try show(upTo: length)
        if let resampler {
            try resampler.convert(nil, into: resampled)
            owner.amplify(resampled)
            try owner.queue(resampled)
        }
        let end = owner.samples(atFrame: startFrame + nextSlot)
        try owner.trimQueue(to: end)
        try owner.queueSilence(end - owner.samplesQueued)
    }
}
