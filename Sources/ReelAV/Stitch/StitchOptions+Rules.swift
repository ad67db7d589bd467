import CFFmpeg

/// The one set of rules for stitch options: `reel stitch` checks its flags with them, the pipeline's stitch stage
/// its fields, and ``Stitcher`` its options before any work. Each face names a field its own way (`--crf`,
/// `video.crf`); the rule and its message are written here once.
extension StitchOptions {
    /// An option a rule is about.
    public enum Field: String, Sendable, CaseIterable {
        case size, frameRate, codec, audioSampleRate, audioChannels, preset, crf, encoderThreads, trim, fade,
            imageDuration, transition, overlay, loudness, music
    }

    /// A value that breaks a rule, with the field it is in.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: Field
        /// What is wrong, without the field's name (`must be even, from 2 to 16384, not 641x361`).
        public var message: String
        public var description: String { message }
    }

    /// Width and height of an output frame: even (H.264 with 4:2:0 chroma needs both), from 2 to 16384.
    public static let sides = 2...16384
    /// Output frame rates, in frames per second.
    public static let framesPerSecond = 0.1...1000.0
    /// How long a still image may be shown, in seconds.
    public static let imageSeconds = 0.001...3600.0
    /// Output audio channel counts (the AAC encoder's default layouts, mono to 7.1).
    public static let audioChannelCounts = 1...8
    /// The presets libx264 and libx265 both take, fastest first (VP9 maps them onto libvpx's speeds).
    public static let presets = [
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo",
    ]
    /// Every rule these options break when writing `container`, in field order; empty when a stitch may start.
    public func problems(in container: StitchContainer) -> [Problem] {
        var problems: [Problem] = []
        func add(_ field: Field, _ message: String) { problems.append(Problem(field: field, message: message)) }
        if (width == nil) != (height == nil) {
            add(.size, "give both width and height, or neither")
        } else if let width, let height {
            if !Self.allowsSide(width) || !Self.allowsSide(height) {
                add(.size, "\(width)x\(height): width and height must be even, from 2 to 16384")
            } else if !pixelLimit.allows(width: width, height: height) {
                add(.size, "\(width)x\(height) is above the pixel limit of \(pixelLimit)")
            }
        }
        if let frameRate, !Self.framesPerSecond.contains(frameRate.value ?? 0) || frameRate.isUnknown {
            add(.frameRate, "\(frameRate) must be from 0.1 to 1000 frames per second")
        }
        if let videoCodec, !container.videoCodecs.contains(videoCodec) {
            let holders = StitchContainer.allCases.filter { $0.videoCodecs.contains(videoCodec) }
            add(
                .codec,
                "\(videoCodec.rawValue) cannot go in .\(container.rawValue) (use \(StitchContainer.listed(holders)))")
        }
        let rates = container.audioSampleRates
        if !rates.contains(audioSampleRate) {
            add(
                .audioSampleRate,
                "\(audioSampleRate) Hz is not a rate the \(container.audioCodec == "aac" ? "AAC" : "Opus") encoder "
                    + "takes (\(rates.sorted().map(String.init).joined(separator: ", ")))")
        }
        if !Self.audioChannelCounts.contains(audioChannels) {
            add(.audioChannels, "\(audioChannels) must be from 1 to 8")
        }
        if !Self.presets.contains(preset) {
            add(.preset, "\"\(preset)\" is not an x264/x265 preset (\(Self.presets.joined(separator: ", ")))")
        }
        let crfs = (videoCodec ?? container.defaultVideoCodec).crfs
        if !crfs.contains(crf) { add(.crf, "\(crf) must be from \(crfs.lowerBound) to \(crfs.upperBound)") }
        if encoderThreads < 1 { add(.encoderThreads, "\(encoderThreads) must be at least 1") }
        if let problem = fade?.problem { add(.fade, problem) }
        if let imageDuration, !Self.imageSeconds.contains(imageDuration) {
            add(.imageDuration, "\(imageDuration) s must be more than 0 and at most 3600 s")
        }
        for (position, seconds) in imageDurations.sorted(by: { $0.key < $1.key })
        where !Self.imageSeconds.contains(seconds) {
            add(.imageDuration, "input \(position): \(seconds) s must be more than 0 and at most 3600 s")
        }
        if let problem = transition?.problem { add(.transition, problem) }
        for (position, transition) in transitions.sorted(by: { $0.key < $1.key }) {
            if position < 2 {
                add(.transition, "input \(position): a transition goes into an input from the second on")
            }
            if let problem = transition.problem { add(.transition, "input \(position): \(problem)") }
        }
        if let problem = overlay?.problem { add(.overlay, problem) }
        if let problem = loudness?.problem { add(.loudness, problem) }
        if let problem = music?.problem { add(.music, problem) }
        for (position, trim) in trims.sorted(by: { $0.key < $1.key }) {
            if position < 1 { add(.trim, "input \(position): inputs are numbered from 1") }
            if let problem = trim.problem { add(.trim, "input \(position): \(problem)") }
        }
        return problems
    }

    /// Why a stitch cannot be written to `path`, or nil when it can: the extension picks the container.
    public static func outputProblem(_ path: String) -> String? {
        if StitchContainer(path: path) != nil { return nil }
        return "\(path): a stitch is written as \(StitchContainer.listed(StitchContainer.allCases))"
            + (pathExtension(of: path).map { ", not .\($0)" } ?? "; the file name has no extension")
    }

    /// Whether `side` can be an output width or height.
    public static func allowsSide(_ side: Int) -> Bool { sides.contains(side) && side % 2 == 0 }
}

extension MediaEncoder {
    /// The sample rates the encoder `codecName` lists as supported; empty when it is missing or lists none.
    public static func supportedSampleRates(of codecName: String) -> [Int] {
        guard let codec = avcodec_find_encoder_by_name(codecName), var rate = codec.pointee.supported_samplerates
        else { return [] }
        var rates: [Int] = []
        while rate.pointee != 0 {
            rates.append(Int(rate.pointee))
            rate += 1
        }
        return rates
    }
}
