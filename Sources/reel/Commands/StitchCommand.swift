import ArgumentParser
import Foundation
import ReelAV
import ReelLibrary

/// `reel stitch A B… -o OUT.mp4`: join clips, copying when they are compatible and re-encoding when not.
struct StitchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stitch",
        abstract: "Join clips end to end into one MP4, MOV, MKV or WebM, in sync at every boundary.",
        discussion: """
            auto (the default) copies packets when every input has the same codecs and parameters and \
            re-encodes otherwise (H.264 + AAC; VP9 + Opus in .webm), saying which and why. Re-encoding applies rotation, scales to one \
            size with square pixels, converts to one frame rate and one audio format, and adds silence for \
            inputs without audio. The output appears only when complete; SIGINT or SIGTERM stops the work and \
            leaves nothing behind.
            """
    )

    @Argument(help: "Input clips, in order.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output file (.mp4, .mov, .mkv or .webm).")
    var output: String

    @Option(help: "auto, copy or reencode.")
    var mode: StitchMode = .auto

    @Option(help: "Output size WxH (even numbers); default: the first input's display size.")
    var size: String?

    @Option(help: "Output frame rate, e.g. 30 or 30000/1001; default: the first input's.")
    var fps: String?

    @Option(help: "pad (letterbox) or crop, for pictures of another shape.")
    var fit: FitMode = .pad

    @Option(
        name: .customLong("audio-rate"),
        help: "Output audio sample rate in Hz (one the AAC or, in .webm, Opus encoder takes).")
    var audioRate: Int = StitchOptions().audioSampleRate

    @Option(name: .customLong("audio-channels"), help: "Output audio channel count (1-8).")
    var audioChannels: Int = StitchOptions().audioChannels

    @Option(
        help: """
            h264, hevc (tagged hvc1 in .mp4/.mov) or vp9 (.webm, .mkv); default: h264 (vp9 in .webm) when \
            re-encoding, the inputs' when copying.
            """)
    var codec: VideoCodec?

    @Option(help: "Encoder preset when re-encoding (ultrafast … placebo).")
    var preset: String = StitchOptions().preset

    @Option(help: "Constant rate factor when re-encoding (0-51; 0-63 for vp9).")
    var crf: Int = StitchOptions().crf

    @Option(
        name: .customLong("trim"),
        help: ArgumentHelp(
            "Keep part of an input: N=IN-OUT (input N from 1; either side may be left out), times in seconds, "
                + "HH:MM:SS.mmm or frames (120f). Repeatable.", valueName: "N=IN-OUT"))
    var trims: [String] = []

    @Option(
        help: ArgumentHelp(
            "Fade from black and to black: IN:OUT seconds (0.5:1; :2 fades out only).", valueName: "IN:OUT"))
    var fade: String?

    @Option(
        name: .customLong("transition"),
        help: ArgumentHelp(
            "Between inputs: STYLE:SECONDS at every boundary (crossfade:1), or N=STYLE:SECONDS (N=cut) into input N "
                + "only; styles crossfade, fade-black, wipe-left, wipe-right, slide-left, slide-right. Repeatable.",
            valueName: "[N=]STYLE:SECONDS"))
    var transitions: [String] = []

    @Option(help: "Seconds each still-image input (a PNG or JPEG title card) is shown.")
    var imageDuration: Double?

    @OptionGroup var overlay: OverlayOptions

    @OptionGroup var loudness: LoudnessOptions

    @OptionGroup var music: MusicOptions

    @OptionGroup var pixelLimit: PixelLimitOption

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @Flag(help: "Print the timeline (each input's kept part and place, copy or re-encode and why) and write nothing.")
    var dryRun = false

    @OptionGroup var format: OutputOptions

    /// Where each rule-checked option is given on the command line.
    static let flags: [StitchOptions.Field: String] = [
        .size: "--size", .frameRate: "--fps", .codec: "--codec", .audioSampleRate: "--audio-rate",
        .audioChannels: "--audio-channels",
        .preset: "--preset", .crf: "--crf", .trim: "--trim", .fade: "--fade", .imageDuration: "--image-duration",
        .transition: "--transition", .overlay: "--overlay", .loudness: "--loudness",
        .music: "--music",
    ]

    /// Checks every value with the rules the pipeline's stitch stage uses, before any input is opened.
    mutating func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input clip") }
        guard let container = StitchContainer(path: output) else {
            throw ValidationError("-o \(StitchOptions.outputProblem(output) ?? output)")
        }
        if let problem = try options().problems(in: container).first {
            throw ValidationError("\(Self.flags[problem.field] ?? problem.field.rawValue) \(problem)")
        }
    }

    /// The options the flags ask for.
    private func options() throws -> StitchOptions {
        var size: FrameSize?
        if let text = self.size {
            guard let parsed = FrameSize(text) else { throw ValidationError("--size \(text): not \(FrameSize.syntax)") }
            size = parsed
        }
        var frameRate: Rational?
        if let fps {
            guard let rate = Rational(frameRate: fps) else {
                throw ValidationError("--fps \(fps): expected a positive number or a fraction like 30000/1001")
            }
            frameRate = rate
        }
        var options = StitchOptions(
            mode: mode, width: size?.width, height: size?.height, frameRate: frameRate, fit: fit,
            audioSampleRate: audioRate, audioChannels: audioChannels, videoCodec: codec, preset: preset, crf: crf,
            pixelLimit: pixelLimit.limit)
        options.imageDuration = imageDuration
        options.overlay = try overlay.requested()
        options.loudness = try loudness.requested()
        options.music = try music.requested()
        if let fade {
            guard let parsed = Fade(flag: fade) else { throw ValidationError("--fade \(fade): not \(Fade.syntax)") }
            options.fade = parsed
        }
        for text in trims {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let position = Int(parts[0]), let trim = Trim(range: parts[1]) else {
                throw ValidationError("--trim \(text): not \(Trim.syntax)")
            }
            guard (1...inputs.count).contains(position) else {
                throw ValidationError("--trim \(text): there is no input \(position) (\(inputs.count) given)")
            }
            guard options.trims.updateValue(trim, forKey: position) == nil else {
                throw ValidationError("--trim \(text): input \(position) is trimmed twice")
            }
        }
        for text in transitions {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let transition = Transition(flag: parts.last ?? ""), parts.count == 1 || Int(parts[0]) != nil else {
                throw ValidationError("--transition \(text): not \(Transition.syntax)")
            }
            guard parts.count == 2, let position = Int(parts[0]) else {
                guard options.transition == nil else {
                    throw ValidationError("--transition \(text): a transition for every boundary is given twice")
                }
                options.transition = transition
                continue
            }
            guard position >= 2, position <= inputs.count else {
                throw ValidationError(
                    "--transition \(text): a transition goes into input 2 to \(inputs.count) (\(inputs.count) given)")
            }
            guard options.transitions.updateValue(transition, forKey: position) == nil else {
                throw ValidationError("--transition \(text): input \(position) has two transitions into it")
            }
        }
        return options
    }

    func run() throws {
        let options = try options()
        guard !dryRun else { return try printTimeline(options) }
        do {
            try Overwrite.check(output, allowed: force)
        } catch {
            throw ReelError.failed("stitch", error)
        }
        let bar = ProgressReporter()
        let result: StitchResult
        do {
            result = try Interrupts.stoppingOnSignal { cancellation in
                defer { bar.done() }
                return try Stitcher.stitch(
                    inputs: inputs, to: output, options: options, cancellation: cancellation,
                    planned: { bar.line($0.reason) }, progress: { bar.update($0) })
            }
        } catch {
            throw ReelError.failed("stitch", error)
        }
        guard format.json else {
            for adjustment in result.loudness { print("loudness \(adjustment.line)") }
            print("\(result.outputPath): \(result.mode.rawValue), \(String(format: "%.3f", result.duration)) s")
            return
        }
        do {
            let info = try MediaInfo.probe(result.outputPath)
            try printJSON(
                StitchReport(result: result, info: info, sha256: try Library.sha256(ofFileAt: result.outputPath)))
        } catch {
            throw ReelError.failed("stitch", error)
        }
    }
}

extension StitchCommand {
    /// `--dry-run`: the plan, one line per input, and the total; or the plan as JSON.
    private func printTimeline(_ options: StitchOptions) throws {
        let plan: StitchPlan
        do {
            // validate() has made sure the extension names a container.
            plan = try Stitcher.plan(inputs: inputs, options: options, container: StitchContainer(path: output) ?? .mp4)
        } catch {
            throw ReelError.failed("stitch", error)
        }
        if format.json { return try printJSON(StitchPlanReport(plan: plan)) }
        print(plan.reason)
        func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
        for (index, input) in plan.inputs.enumerated() {
            if let transition = input.transition {
                print("   \(transition.style.rawValue), \(seconds(transition.overlap)) s of overlap")
            }
            print(
                "\(index + 1)  \(input.path)  kept \(seconds(input.from))-\(seconds(input.to)) s  "
                    + "at \(seconds(input.offset)) s for \(seconds(input.duration)) s")
        }
        if let overlay = plan.overlay {
            print(
                "   overlay \(overlay.path)  \(overlay.width)x\(overlay.height) at \(overlay.x),\(overlay.y)  "
                    + "from \(seconds(overlay.from)) s until \(seconds(overlay.until)) s, opacity \(overlay.opacity)")
        }
        if let loudness = options.loudness {
            print("   loudness \(loudness.written) (measured when encoding)")
        }
        if let music = options.music { print("   music \(music.path)  \(music.written)") }
        print("\(output): \(plan.mode.rawValue), \(seconds(plan.duration)) s (dry run: nothing written)")
    }
}

extension StitchMode: ExpressibleByArgument {}
extension FitMode: ExpressibleByArgument {}
extension VideoCodec: ExpressibleByArgument {}
