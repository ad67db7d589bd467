import ArgumentParser
import Foundation
import ReelAV
import ReelLibrary

/// `reel stitch A B… -o OUT.mp4`: join clips, copying when they are compatible and re-encoding when not.
struct StitchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stitch",
        abstract: "Join clips end to end into one MP4, in sync at every boundary.",
        discussion: """
            auto (the default) copies packets when every input has the same codecs and parameters and \
            re-encodes (H.264 + AAC) otherwise, saying which and why. Re-encoding applies rotation, scales to one \
            size with square pixels, converts to one frame rate and one audio format, and adds silence for \
            inputs without audio. The output appears only when complete; SIGINT or SIGTERM stops the work and \
            leaves nothing behind.
            """
    )

    @Argument(help: "Input clips, in order.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output file (.mp4, .mov or .mkv).")
    var output: String

    @Option(help: "auto, copy or reencode.")
    var mode: StitchMode = .auto

    @Option(help: "Output size WxH (even numbers); default: the first input's display size.")
    var size: String?

    @Option(help: "Output frame rate, e.g. 30 or 30000/1001; default: the first input's.")
    var fps: String?

    @Option(help: "pad (letterbox) or crop, for pictures of another shape.")
    var fit: FitMode = .pad

    @Option(name: .customLong("audio-rate"), help: "Output audio sample rate in Hz.")
    var audioRate: Int = 48000

    @Option(name: .customLong("audio-channels"), help: "Output audio channel count.")
    var audioChannels: Int = 2

    @Option(help: "libx264 preset when re-encoding.")
    var preset: String = "veryfast"

    @Option(help: "libx264 constant rate factor when re-encoding (0-51).")
    var crf: Int = 23

    @OptionGroup var pixelLimit: PixelLimitOption

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @OptionGroup var format: OutputOptions

    mutating func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input clip") }
        _ = try parsedSize()
        _ = try parsedRate()
    }

    private func parsedSize() throws -> (Int, Int)? {
        guard let size else { return nil }
        let parts = size.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0,
            width % 2 == 0, height % 2 == 0
        else { throw ValidationError("--size \(size): expected WxH with even numbers, e.g. 1280x720") }
        return (width, height)
    }

    private func parsedRate() throws -> Rational? {
        guard let fps else { return nil }
        guard let rate = Rational(frameRate: fps) else {
            throw ValidationError("--fps \(fps): expected a positive number or a fraction like 30000/1001")
        }
        return rate
    }

    func run() throws {
        if FileManager.default.fileExists(atPath: output), !force {
            throw ReelError(description: "reel stitch: \(output) exists (use --force to replace it)", exitCode: 1)
        }
        let dimensions = try parsedSize()
        let options = StitchOptions(
            mode: mode, width: dimensions?.0, height: dimensions?.1, frameRate: try parsedRate(), fit: fit,
            audioSampleRate: audioRate, audioChannels: audioChannels, preset: preset, crf: crf,
            pixelLimit: pixelLimit.limit)
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

extension StitchMode: ExpressibleByArgument {}
extension FitMode: ExpressibleByArgument {}
