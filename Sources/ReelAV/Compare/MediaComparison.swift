import CFFmpeg

/// How a media file compares with a reference: video frames aligned by timestamp and scored with SSIM and PSNR,
/// frames only one side has, and the audio's difference and offset.
public struct MediaComparison: Sendable {
    /// An output frame and the reference frame shown at the same time, with their scores.
    public struct Pair: Sendable, Equatable {
        /// Index of the output frame, in presentation order.
        public var frame: Int
        /// Index of the reference frame it was compared with.
        public var referenceFrame: Int
        /// Seconds from the start of the output clip.
        public var time: Double
        public var scores: PictureScores
    }

    /// A frame shown by one file at a time the other shows none: a dropped frame (missing from the output) or an
    /// inserted or duplicated one (only in the output).
    public enum Unmatched: Sendable, Equatable {
        case onlyInOutput(frame: Int, time: Double)
        case onlyInReference(frame: Int, time: Double)
    }

    /// Every pair, in order.
    public var pairs: [Pair]
    /// Frames without a partner, in order of time.
    public var unmatched: [Unmatched]
    public var frameCount: Int
    public var referenceFrameCount: Int
    /// Width and height of the output's and the reference's pictures.
    public var size: FrameSize
    public var referenceSize: FrameSize
    /// Seconds between the reference's frames (from its average frame rate; 1/30 when it has none).
    public var referenceFrameInterval: Double
    /// The audio comparison, nil unless both files have audio.
    public var audio: AudioComparison?
    public var hasAudio: Bool
    public var referenceHasAudio: Bool

    /// Decodes `output` and `reference` side by side and compares them. Two frames are partners when their
    /// times differ by less than half a reference frame interval. Pictures of different sizes are not scored
    /// (``pairs`` is empty); a file without video is ``AVError/noStream(kind:file:)``.
    public static func compare(
        _ output: String, reference: String, cancellation: CancellationFlag? = nil
    ) throws -> MediaComparison {
        let ours = try DecodedMedia(path: output, withAudio: true, cancellation: cancellation)
        let theirs = try DecodedMedia(path: reference, withAudio: true, cancellation: cancellation)
        let interval = theirs.video.averageFrameRate?.value.map { 1 / $0 } ?? (1.0 / 30)
        let tolerance = interval / 2
        var pairs: [Pair] = []
        var unmatched: [Unmatched] = []
        var pending: [Int64: (frame: Int, reference: Int, time: Double)] = [:]
        var comparer: PictureComparer?
        var sizes: (FrameSize, FrameSize)?
        let collect: (Int64, PictureScores) throws -> Void = { tag, scores in
            guard let pair = pending.removeValue(forKey: tag) else { return }
            pairs.append(Pair(frame: pair.frame, referenceFrame: pair.reference, time: pair.time, scores: scores))
        }
        var next = try ours.nextFrame()
        var nextReference = try theirs.nextFrame()
        var tag: Int64 = 0
        while next != nil || nextReference != nil {
            try cancellation?.check()
            let outputIndex = ours.frameCount - 1
            let referenceIndex = theirs.frameCount - 1
            guard let current = next else {
                unmatched.append(.onlyInReference(frame: referenceIndex, time: nextReference?.time ?? 0))
                nextReference = try theirs.nextFrame()
                continue
            }
            guard let currentReference = nextReference else {
                unmatched.append(.onlyInOutput(frame: outputIndex, time: current.time))
                next = try ours.nextFrame()
                continue
            }
            let gap = current.time - currentReference.time
            if abs(gap) < tolerance {
                let frames = sizes ?? (current.frame.size, currentReference.frame.size)
                sizes = frames
                if frames.0 == frames.1, current.frame.size == frames.0, currentReference.frame.size == frames.1 {
                    let graph =
                        try comparer ?? PictureComparer(output: current.frame, reference: currentReference.frame)
                    comparer = graph
                    pending[tag] = (outputIndex, referenceIndex, current.time)
                    try graph.compare(current.frame, with: currentReference.frame, tag: tag, collect)
                    tag += 1
                }
                next = try ours.nextFrame()
                nextReference = try theirs.nextFrame()
            } else if gap < 0 {
                unmatched.append(.onlyInOutput(frame: outputIndex, time: current.time))
                next = try ours.nextFrame()
            } else {
                unmatched.append(.onlyInReference(frame: referenceIndex, time: currentReference.time))
                nextReference = try theirs.nextFrame()
            }
        }
        try comparer?.finish(collect)
        try ours.finish()
        try theirs.finish()
        let zero = FrameSize(width: 0, height: 0)
        return MediaComparison(
            pairs: pairs.sorted { $0.frame < $1.frame }, unmatched: unmatched, frameCount: ours.frameCount,
            referenceFrameCount: theirs.frameCount, size: sizes?.0 ?? zero, referenceSize: sizes?.1 ?? zero,
            referenceFrameInterval: interval, audio: AudioComparison(ours, theirs), hasAudio: ours.hasAudio,
            referenceHasAudio: theirs.hasAudio)
    }
}

/// How the output's audio compares with the reference's, both decoded and mixed to mono 48 kHz.
public struct AudioComparison: Sendable, Equatable {
    /// The RMS of the sample-by-sample difference relative to the reference's RMS, in dB (`-infinity` when the
    /// samples are identical): -40 means the difference is 1% of the signal. The output is first moved by
    /// ``offset`` (refined to the sample), so a shift is reported as the offset, not as a difference.
    public var rmsDifference: Double
    /// Seconds the output's audio lags the reference's (negative: it runs early), by cross-correlation over the
    /// first 10 s within ±0.5 s; nil when either is silent there.
    public var offset: Double?
    /// The normalised correlation at ``offset`` (1 for the same sound).
    public var correlation: Double

    /// The rate offsets are measured at, and how far and how long they are looked for.
    static let correlationRate = 2_000
    static let maximumLag = 0.5
    static let window = 10.0

    init?(_ output: DecodedMedia, _ reference: DecodedMedia) {
        guard output.hasAudio, reference.hasAudio else { return nil }
        let ours = Self.timeline(output.samples, start: output.audioStart ?? 0)
        let theirs = Self.timeline(reference.samples, start: reference.audioStart ?? 0)
        (offset, correlation) = Self.offset(
            Self.decimated(ours, limit: Self.window), Self.decimated(theirs, limit: Self.window + Self.maximumLag))
        var lag = 0
        if let offset {
            // The offset is measured at the correlation rate: the sample lag within one block of it that leaves
            // the least difference over the first seconds.
            let coarse = Int((offset * Double(DecodedMedia.audioRate)).rounded())
            let block = DecodedMedia.audioRate / Self.correlationRate
            let limit = Int(Self.refinementWindow * Double(DecodedMedia.audioRate))
            lag =
                (coarse - block...coarse + block).map { ($0, Self.energies(ours, theirs, lag: $0, limit: limit)) }
                .min { $0.1.difference < $1.1.difference }?.0 ?? coarse
        }
        let (difference, signal) = Self.energies(ours, theirs, lag: lag, limit: .max)
        rmsDifference = difference == 0 ? -.infinity : 10 * log10(difference / max(signal, .leastNonzeroMagnitude))
    }

    /// How many seconds the sample lag is refined over.
    static let refinementWindow = 2.0

    /// The energy of `output` moved back by `lag` samples minus `reference`, and of `reference`, over the samples
    /// both have (at most the first `limit` of the reference).
    static func energies(_ output: [Float], _ reference: [Float], lag: Int, limit: Int) -> (
        difference: Double, signal: Double
    ) {
        let start = max(0, -lag)
        let end = min(reference.count, output.count - lag, limit)
        guard start < end else { return (0, 0) }
        var difference = 0.0
        var signal = 0.0
        output.withUnsafeBufferPointer { ours in
            reference.withUnsafeBufferPointer { theirs in
                for index in start..<end {
                    let delta = Double(ours[index + lag] - theirs[index])
                    difference += delta * delta
                    signal += Double(theirs[index]) * Double(theirs[index])
                }
            }
        }
        return (difference, signal)
    }

    /// Samples placed so index 0 is the clip's start: leading silence for audio that starts late, samples before
    /// the start dropped.
    static func timeline(_ samples: [Float], start: Double) -> [Float] {
        let shift = Int((start * Double(DecodedMedia.audioRate)).rounded())
        if shift >= 0 { return [Float](repeating: 0, count: shift) + samples }
        return Array(samples.dropFirst(-shift))
    }

    /// Block means at ``correlationRate`` of the first `limit` seconds.
    static func decimated(_ samples: [Float], limit: Double) -> [Double] {
        let block = DecodedMedia.audioRate / correlationRate
        let count = min(samples.count / block, Int(limit * Double(correlationRate)))
        return samples.withUnsafeBufferPointer { buffer in
            (0..<count).map { index in
                var sum = 0.0
                for sample in buffer[(index * block)..<((index + 1) * block)] { sum += Double(sample) }
                return sum / Double(block)
            }
        }
    }

    /// The lag (seconds the first lags the second) with the highest normalised correlation, and that correlation.
    static func offset(_ output: [Double], _ reference: [Double]) -> (Double?, Double) {
        let lags = Int(maximumLag * Double(correlationRate))
        var best: (lag: Int, value: Double)?
        output.withUnsafeBufferPointer { ours in
            reference.withUnsafeBufferPointer { theirs in
                for lag in -lags...lags {
                    var product = 0.0
                    var energy = 0.0
                    var referenceEnergy = 0.0
                    for index in 0..<ours.count {
                        let other = index - lag
                        guard other >= 0, other < theirs.count else { continue }
                        product += ours[index] * theirs[other]
                        energy += ours[index] * ours[index]
                        referenceEnergy += theirs[other] * theirs[other]
                    }
                    guard energy > 1e-9, referenceEnergy > 1e-9 else { continue }
                    let value = product / (energy * referenceEnergy).squareRoot()
                    // Ties go to the smaller lag, so identical sound reads as no offset.
                    guard let current = best else {
                        best = (lag, value)
                        continue
                    }
                    if value > current.value + 1e-9
                        || (abs(value - current.value) <= 1e-9 && abs(lag) < abs(current.lag))
                    {
                        best = (lag, value)
                    }
                }
            }
        }
        guard let best else { return (nil, 0) }
        return (Double(best.lag) / Double(correlationRate), best.value)
    }
}

extension Frame {
    /// The picture's stored size.
    var size: FrameSize { FrameSize(width: width, height: height) }
}

extension MediaComparison {
    /// Which of the reference's frames `candidates` the output's frame `frame` looks most like (lowest luma mean
    /// squared error), decoding both files again; nil when a frame is not there or the sizes differ.
    public static func closestReferenceFrame(
        to frame: Int, of output: String, among candidates: [Int], in reference: String
    ) throws -> Int? {
        guard let picture = try pictures(of: output, at: [frame])[frame] else { return nil }
        let references = try pictures(of: reference, at: Set(candidates))
        let errors = candidates.compactMap { index in
            references[index].flatMap { picture.lumaError(against: $0) }.map { (index, $0) }
        }
        return errors.min { $0.1 < $1.1 }?.0
    }

    /// The constant shift of the output's pictures, in reference frames, when there is one: positive when the
    /// output shows each picture `shift` frames later than the reference does. Up to `samples` pairs spread over
    /// the clip are looked at again (decoding both files): each must show, clearly better than its partner, the
    /// same neighbouring reference frame within `limit` frames. Nil when they do not agree or show their partners.
    public func constantShift(of output: String, reference: String, limit: Int = 4, samples: Int = 4) throws -> Int? {
        guard pairs.count >= 2 * samples else { return nil }
        let chosen = (1...samples).map { pairs[pairs.count * $0 / (samples + 1)] }
        let outputs = try Self.pictures(of: output, at: Set(chosen.map(\.frame)))
        let wanted = chosen.flatMap { pair in (pair.referenceFrame - limit...pair.referenceFrame + limit) }
        let references = try Self.pictures(of: reference, at: Set(wanted.filter { $0 >= 0 }))
        var shifts: Set<Int> = []
        for pair in chosen {
            guard let picture = outputs[pair.frame],
                let partner = references[pair.referenceFrame].flatMap({ picture.lumaError(against: $0) })
            else { return nil }
            let errors = (-limit...limit).compactMap { delta in
                references[pair.referenceFrame + delta].flatMap { picture.lumaError(against: $0) }.map { (delta, $0) }
            }
            // Ties go to the nearer frame, so a still picture reads as no shift.
            guard let best = errors.min(by: { ($0.1, abs($0.0)) < ($1.1, abs($1.0)) }), best.0 != 0,
                best.1 < partner / 2
            else { return nil }
            shifts.insert(-best.0)
        }
        return shifts.count == 1 ? shifts.first : nil
    }

    /// The video frames of `path` at the indices `wanted` (presentation order), decoded front to back.
    static func pictures(of path: String, at wanted: Set<Int>) throws -> [Int: Frame] {
        let media = try DecodedMedia(path: path, withAudio: false)
        var found: [Int: Frame] = [:]
        let last = wanted.max() ?? -1
        while media.frameCount <= last, let next = try media.nextFrame() {
            if wanted.contains(media.frameCount - 1) { found[media.frameCount - 1] = next.frame }
        }
        return found
    }
}

extension Frame {
    /// The mean squared difference of the luma planes (plane 0) of two pictures of one size, nil otherwise.
    func lumaError(against other: Frame) -> Double? {
        guard size == other.size, let ours = plane(0), let theirs = other.plane(0) else { return nil }
        var sum = 0.0
        for row in 0..<height {
            let a = ours.base + row * ours.stride
            let b = theirs.base + row * theirs.stride
            for column in 0..<width {
                let delta = Double(a[column]) - Double(b[column])
                sum += delta * delta
            }
        }
        return sum / Double(width * height)
    }
}

extension PictureScores {
    /// The lowest PSNR of the three planes.
    public var worstPSNR: Double { min(psnrY, psnrU, psnrV) }
}

extension MediaComparison {
    /// PSNR of the mean squared error over every pair, for one plane (how ffmpeg's `psnr` filter averages).
    public func meanPSNR(_ plane: KeyPath<PictureScores, Double>) -> Double {
        guard !pairs.isEmpty else { return .nan }
        let mse = pairs.map { $0.scores[keyPath: plane] }.reduce(0, +) / Double(pairs.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// The mean SSIM over every pair, for one plane (how ffmpeg's `ssim` filter averages).
    public func meanSSIM(_ plane: KeyPath<PictureScores, Double>) -> Double {
        guard !pairs.isEmpty else { return .nan }
        return pairs.map { $0.scores[keyPath: plane] }.reduce(0, +) / Double(pairs.count)
    }
}
