extension Stitcher {
    /// Decides copy or re-encode for `inputs` under `options`, with the first reason in plain words.
    ///
    /// Reads each input's header (and, for a possible copy, its first video packets). Throws
    /// ``StitchError/cannotCopy(_:)`` when `options.mode` is `.copy` and the inputs cannot be copied together.
    public static func plan(
        inputs: [String], options: StitchOptions, container: StitchContainer = .mp4
    ) throws(StitchError) -> StitchPlan {
        let facts = try readInputs(inputs, options: options)
        return try plan(facts, options: options, container: container)
    }

    static func readInputs(
        _ inputs: [String], options: StitchOptions, cancellation: CancellationFlag? = nil
    ) throws(StitchError) -> [StitchInput] {
        guard !inputs.isEmpty else { throw .noInputs }
        var facts: [StitchInput] = []
        if let position = options.trims.keys.first(where: { $0 > inputs.count }) {
            throw .invalidOption("trim of input \(position): there are \(inputs.count) inputs")
        }
        if let position = options.transitions.keys.first(where: { $0 > inputs.count }) {
            throw .invalidOption("transition into input \(position): there are \(inputs.count) inputs")
        }
        for (index, path) in inputs.enumerated() {
            var fact = try StitchInput.read(
                position: index + 1, path: path, trim: options.trims[index + 1],
                lookForHiddenFrames: options.mode != .reencode, pixelLimit: options.pixelLimit,
                cancellation: cancellation)
            let shown = options.imageDurations[index + 1] ?? options.imageDuration
            if fact.isStill {
                guard let shown else {
                    throw .invalidOption(
                        "input \(index + 1) (\(fact.name)) is a still image: give it a duration (--image-duration)")
                }
                fact.videoDuration = shown
            } else if options.imageDurations[index + 1] != nil {
                throw .invalidOption("input \(index + 1) (\(fact.name)): a duration is for still images; trim a clip")
            }
            if let problem = fact.trimProblem { throw .invalidOption("input \(index + 1) (\(fact.name)): \(problem)") }
            facts.append(fact)
        }
        return facts
    }

    static func plan(
        _ facts: [StitchInput], options: StitchOptions, container: StitchContainer
    ) throws(StitchError) -> StitchPlan {
        var plan = try decide(facts, options: options, container: container)
        let rate = options.frameRate?.reduced ?? facts.leading?.frameRate ?? Rational(25, 1)
        if plan.mode == .reencode { try checkTransitions(facts, options: options, fps: rate.value ?? 25) }
        var offset = 0.0
        for (index, fact) in facts.enumerated() {
            var duration = fact.keptDuration
            var incoming: PlannedTransition?
            if plan.mode == .reencode, let fps = rate.value {
                duration = Double(StitchReencoder.frames(lasting: duration, at: fps)) / fps
                if let transition = options.transition(into: index + 1) {
                    let overlap = Double(options.overlap(into: index + 1, at: fps)) / fps
                    offset -= overlap
                    incoming = PlannedTransition(style: transition.style, overlap: overlap)
                }
            }
            plan.inputs.append(
                PlannedInput(
                    path: fact.path, from: fact.keptStart, to: fact.keptEnd, offset: offset, duration: duration,
                    transition: incoming))
            offset += duration
        }
        if let fade = options.fade, fade.fadeIn + fade.fadeOut > plan.duration + 1e-9 {
            throw .invalidOption(
                "fade: in \(String(seconds: fade.fadeIn)) s + out \(String(seconds: fade.fadeOut)) s is longer than "
                    + "the output (\(String(seconds: plan.duration)) s)")
        }
        if let overlay = options.overlay {
            let size = StitchReencoder.outputSize(of: facts, options: options)
            plan.overlay = try overlay.planned(width: size.width, height: size.height, duration: plan.duration)
        }
        try options.music?.check(duration: plan.duration)
        return plan
    }

    /// Refuses a transition longer than an input it overlaps: each input lasts at least the transitions into it
    /// and out of it together.
    private static func checkTransitions(
        _ facts: [StitchInput], options: StitchOptions, fps: Double
    ) throws(StitchError) {
        for (index, fact) in facts.enumerated() {
            let frames = StitchReencoder.frames(lasting: fact.keptDuration, at: fps)
            let into = options.transition(into: index + 1)
            let out = index + 1 < facts.count ? options.transition(into: index + 2) : nil
            guard [into, out].compactMap({ $0?.frames(at: fps) }).reduce(0, +) > frames else { continue }
            let overlaps = [
                into.map { "the \($0.style.rawValue) of \(String(seconds: $0.duration)) s into it" },
                out.map { "the \($0.style.rawValue) of \(String(seconds: $0.duration)) s out of it" },
            ]
            throw .invalidOption(
                "input \(index + 1) (\(fact.name)) lasts \(String(seconds: Double(frames) / fps)) s, less than "
                    + overlaps.compactMap { $0 }.joined(separator: " and "))
        }
    }

    private static func decide(
        _ facts: [StitchInput], options: StitchOptions, container: StitchContainer
    ) throws(StitchError) -> StitchPlan {
        switch options.mode {
        case .reencode:
            return StitchPlan(mode: .reencode, reason: "re-encoding: asked for")
        case .copy:
            if let mismatch = firstMismatch(facts, options: options, container: container) {
                throw .cannotCopy(mismatch)
            }
            return StitchPlan(mode: .copy, reason: copyReason(facts))
        case .auto:
            if let mismatch = firstMismatch(facts, options: options, container: container) {
                return StitchPlan(mode: .reencode, reason: "re-encoding: \(mismatch)")
            }
            return StitchPlan(mode: .copy, reason: copyReason(facts))
        }
    }

    private static func copyReason(_ facts: [StitchInput]) -> String {
        facts.count == 1
            ? "copying: one input, remuxed without re-encoding"
            : "copying: all \(facts.count) inputs share codecs and parameters"
    }

    /// The first reason the inputs cannot be copied together, or nil when they can.
    static func firstMismatch(_ facts: [StitchInput], options: StitchOptions, container: StitchContainer) -> String? {
        guard let first = facts.first else { return nil }
        if options.fade != nil { return "a fade needs every picture decoded" }
        if options.overlay != nil { return "an overlay needs every picture decoded" }
        if options.loudness != nil { return "loudness normalization needs the sound decoded" }
        if options.music != nil { return "a music bed needs the sound decoded" }
        if let position = (1...facts.count).first(where: { options.transition(into: $0) != nil }) {
            return "a transition into input \(position) needs every picture decoded"
        }
        if let still = facts.first(where: \.isStill) { return "\(still.name) is a still image" }
        let size = first.displaySize
        if let width = options.width, let height = options.height, width != size.width || height != size.height {
            return "--size \(width)x\(height) asked for, \(first.name) is \(size.width)x\(size.height)"
        }
        if let codec = options.videoCodec, let other = facts.first(where: { $0.video.codec != codec.rawValue }) {
            return "--codec \(codec.rawValue) asked for, \(other.name) is \(other.video.codec)"
        }
        if let video = container.copiedVideoCodecs, let other = facts.first(where: { !video.contains($0.video.codec) })
        {
            return ".\(container.rawValue) holds \(video.sorted().joined(separator: ", ")) video, "
                + "\(other.name) is \(other.video.codec)"
        }
        if let audio = container.copiedAudioCodecs,
            let other = facts.first(where: { $0.audio.map { !audio.contains($0.codec) } ?? false })
        {
            return ".\(container.rawValue) holds \(audio.sorted().joined(separator: ", ")) audio, "
                + "\(other.name) is \(other.audio?.codec ?? "")"
        }
        if let rate = options.frameRate, let own = first.frameRate, rate.reduced != own {
            return "--fps \(format(rate)) asked for, \(first.name) is \(format(own)) fps"
        }
        for input in facts {
            if let reason = input.cutOffKeyframe { return reason }
            if input.hiddenVideoPackets > 0 {
                return "\(input.name) hides \(input.hiddenVideoPackets) frames with an edit list, "
                    + "which a copy cannot keep hidden"
            }
            if let audio = input.audioDuration, abs(audio - input.videoDuration) > 0.1 {
                let difference = String(format2: abs(audio - input.videoDuration))
                let word = audio < input.videoDuration ? "shorter" : "longer"
                return "\(input.name) audio is \(difference) s \(word) than its video"
            }
        }
        for input in facts.dropFirst() {
            if let reason = videoMismatch(input, first) ?? audioMismatch(input, first) { return reason }
        }
        return nil
    }

    private static func videoMismatch(_ input: StitchInput, _ first: StitchInput) -> String? {
        let (a, b) = (input.video, first.video)
        let (name, firstName) = (input.name, first.name)
        if a.codec != b.codec { return "\(name) video is \(a.codec), \(firstName) is \(b.codec)" }
        if a.width != b.width || a.height != b.height {
            return "\(name) video is \(a.width ?? 0)x\(a.height ?? 0), \(firstName) is \(b.width ?? 0)x\(b.height ?? 0)"
        }
        if input.sampleAspectRatio != first.sampleAspectRatio {
            return "\(name) sample aspect ratio is \(input.sampleAspectRatio.ratioString), "
                + "\(firstName) is \(first.sampleAspectRatio.ratioString)"
        }
        if a.rotation != b.rotation {
            return "\(name) is rotated \(a.rotation)°, \(firstName) is rotated \(b.rotation)°"
        }
        if let rate = input.frameRate, let firstRate = first.frameRate, rate != firstRate {
            return "\(name) is \(format(rate)) fps, \(firstName) is \(format(firstRate)) fps"
        }
        if a.pixelFormat != b.pixelFormat {
            return
                "\(name) pixel format is \(a.pixelFormat ?? "unknown"), \(firstName) is \(b.pixelFormat ?? "unknown")"
        }
        if a.profile != b.profile {
            return "\(name) video profile is \(a.profile ?? "unknown"), \(firstName) is \(b.profile ?? "unknown")"
        }
        if input.videoLevel != first.videoLevel {
            return "\(name) video level is \(input.videoLevel), \(firstName) is \(first.videoLevel)"
        }
        if input.videoExtradata != first.videoExtradata {
            return "\(name) video codec headers (SPS/PPS) differ from \(firstName)'s"
        }
        return nil
    }

    private static func audioMismatch(_ input: StitchInput, _ first: StitchInput) -> String? {
        let (name, firstName) = (input.name, first.name)
        switch (input.audio, first.audio) {
        case (nil, nil):
            return nil
        case (nil, .some):
            return "\(name) has no audio, \(firstName) has"
        case (.some, nil):
            return "\(name) has audio, \(firstName) has none"
        case (.some(let a), .some(let b)):
            if a.codec != b.codec { return "\(name) audio is \(a.codec), \(firstName) is \(b.codec)" }
            if a.sampleRate != b.sampleRate {
                return "\(name) audio is \(a.sampleRate ?? 0) Hz, \(firstName) is \(b.sampleRate ?? 0) Hz"
            }
            if a.channels != b.channels || a.channelLayout != b.channelLayout {
                return "\(name) audio is \(a.channelLayout ?? "\(a.channels ?? 0) channels"), "
                    + "\(firstName) is \(b.channelLayout ?? "\(b.channels ?? 0) channels")"
            }
            if a.profile != b.profile {
                return "\(name) audio profile is \(a.profile ?? "unknown"), \(firstName) is \(b.profile ?? "unknown")"
            }
            if input.audioExtradata != first.audioExtradata {
                return "\(name) audio codec headers differ from \(firstName)'s"
            }
            return nil
        }
    }

    /// `24`, `29.97`.
    static func format(_ rate: Rational) -> String {
        guard let value = rate.value else { return rate.description }
        if rate.denominator == 1 { return "\(rate.numerator)" }
        return String(format2: value)
    }
}

extension String {
    /// Seconds as people write them: at most three decimals, at least one (`1.5`, `2.0`, `7.25`).
    init(seconds value: Double) {
        let thousandths = Int((value * 1000).rounded())
        var fraction = String(abs(thousandths % 1000))
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        self = "\(thousandths / 1000).\(fraction)"
    }

    /// A number with two decimals, trailing zeros kept (`0.50`).
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
