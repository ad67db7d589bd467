/// Joins clips end to end: by copying packets when the inputs are compatible, otherwise by decoding and
/// encoding one H.264 + AAC stream at one size, frame rate and audio format. Audio and video start together at
/// every boundary. The same function serves the `stitch` pipeline stage and the `reel stitch` command.
public enum Stitcher {
    /// Muxer options every stitch uses: the index at the front.
    static let muxerOptions = ["movflags": "+faststart"]

    /// Stitches `inputs` in order into `outputPath`, which appears only when complete (an existing file there is
    /// replaced). `planned` hears the decision (copy or re-encode, and why) once the inputs are read, before the
    /// media work; `progress` is called as output is written. Both run on the calling thread.
    ///
    /// With `inPlace`, the bytes go straight to `outputPath`, a file the caller reserved out of sight (a library
    /// staging file), instead of a hidden sibling renamed into place; on failure it is deleted all the same.
    ///
    /// Once `cancellation` is set, the stitch stops between packets and frames (or inside a blocking libav call)
    /// with ``StitchError/cancelled``, leaving neither the output nor its temporary file.
    public static func stitch(
        inputs: [String], to outputPath: String, options: StitchOptions = StitchOptions(),
        cancellation: CancellationFlag? = nil, inPlace: Bool = false, planned: (StitchPlan) -> Void = { _ in },
        progress: (StitchProgress) -> Void = { _ in }
    ) throws(StitchError) -> StitchResult {
        do {
            return try perform(
                inputs, to: outputPath, options: options, cancellation: cancellation, inPlace: inPlace,
                planned: planned, progress: progress)
        } catch {
            if cancellation?.isCancelled == true { throw .cancelled }
            throw error
        }
    }

    private static func perform(
        _ inputs: [String], to outputPath: String, options: StitchOptions, cancellation: CancellationFlag?,
        inPlace: Bool, planned: (StitchPlan) -> Void, progress: (StitchProgress) -> Void
    ) throws(StitchError) -> StitchResult {
        guard let container = StitchContainer(path: outputPath) else {
            throw .invalidOption(StitchOptions.outputProblem(outputPath) ?? outputPath)
        }
        if let problem = options.problems(in: container).first {
            throw .invalidOption("\(problem.field.rawValue) \(problem)")
        }
        guard !inputs.isEmpty else { throw .noInputs }
        let output: OutputFile
        do {
            output = try OutputFile(path: outputPath, cancellation: cancellation, inPlace: inPlace)
        } catch {
            throw .output(path: outputPath, cause: StitchError.cause(of: error, at: outputPath))
        }
        var facts = try readInputs(inputs, options: options, cancellation: cancellation)
        let decision = try plan(facts, options: options, container: container)
        if decision.mode != .copy {
            for index in facts.indices { facts[index].file = nil }
        }
        planned(decision)
        var loudness: [LoudnessAdjustment] = []
        let placed = try withoutActuallyEscaping(progress) { report throws(StitchError) in
            switch decision.mode {
            case .copy:
                return try StitchCopier(
                    facts: facts, output: output, cancellation: cancellation, pixelLimit: options.pixelLimit,
                    progress: report
                ).run()
            default:
                let encoder = try StitchReencoder(
                    facts: facts, output: output, container: container, options: options, overlay: decision.overlay,
                    cancellation: cancellation, progress: report)
                let placed = try encoder.run()
                loudness = encoder.loudness
                return placed
            }
        }
        do {
            try output.finish()
        } catch {
            throw .output(path: outputPath, cause: StitchError.cause(of: error, at: outputPath))
        }
        let duration = placed.last.map { $0.offset + $0.duration } ?? 0
        return StitchResult(
            outputPath: outputPath, mode: decision.mode, reason: decision.reason, inputs: placed, duration: duration,
            loudness: loudness)
    }
}
