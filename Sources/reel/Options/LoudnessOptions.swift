import ArgumentParser
import ReelAV

/// `--loudness LUFS`, `--true-peak DBTP` and `--loudness-per clip|output`: EBU R128 loudness normalization of a
/// stitch. The defaults are ``Loudness``'s.
struct LoudnessOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Bring the sound to this integrated loudness (EBU R128), e.g. -16 for the web or -23 for broadcast.",
            valueName: "LUFS"))
    var loudness: Double?

    @Option(
        name: .customLong("true-peak"), parsing: .unconditional,
        help: ArgumentHelp(
            "The highest true peak the loudness gain may reach (default \(defaults.truePeak) dBTP).",
            valueName: "DBTP"))
    var truePeak: Double?

    @Option(
        name: .customLong("loudness-per"),
        help: "clip (each input its own gain, so scenes match; the default) or output (one gain for everything).")
    var scope: Loudness.Scope?

    private static let defaults = Loudness()

    /// The normalization the flags ask for; nil without `--loudness`.
    func requested() throws -> Loudness? {
        guard let target = loudness else {
            if truePeak != nil { throw ValidationError("--true-peak needs --loudness (the target to reach)") }
            if scope != nil { throw ValidationError("--loudness-per needs --loudness (the target to reach)") }
            return nil
        }
        return Loudness(target: target, truePeak: truePeak ?? Self.defaults.truePeak, scope: scope ?? .clip)
    }
}

extension Loudness.Scope: ExpressibleByArgument {}
