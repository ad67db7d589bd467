import ArgumentParser
import ReelAV

/// `--music SOUND` and how it is mixed under a stitch: `--music-volume`, `--music-fade`, `--music-loop`. The
/// defaults are ``MusicBed``'s.
struct MusicOptions: ParsableArguments {
    @Option(help: "A sound file (music) mixed under the clips' own sound from the start.")
    var music: String?

    @Option(
        name: .customLong("music-volume"), parsing: .unconditional,
        help: ArgumentHelp("The music's gain, -60 to 12 (default \(defaults.volume) dB).", valueName: "DB"))
    var volume: Double?

    @Option(
        name: .customLong("music-fade"),
        help: ArgumentHelp("Fade the music in from the start and out to the end: \(Fade.syntax).", valueName: "IN:OUT"))
    var fade: String?

    @Flag(name: .customLong("music-loop"), help: "Start the music again when it ends before the output does.")
    var loops = false

    private static let defaults = MusicBed(path: "")

    /// The bed the flags ask for; nil without `--music`.
    func requested() throws -> MusicBed? {
        guard let music else {
            let given = [("--music-volume", volume != nil), ("--music-fade", fade != nil), ("--music-loop", loops)]
            if let flag = given.first(where: \.1)?.0 {
                throw ValidationError("\(flag) needs --music (the sound to mix under the clips)")
            }
            return nil
        }
        var bed = MusicBed(path: music, volume: volume ?? Self.defaults.volume, loops: loops)
        if let fade {
            guard let parsed = Fade(flag: fade) else {
                throw ValidationError("--music-fade \(fade): not \(Fade.syntax)")
            }
            (bed.fadeIn, bed.fadeOut) = (parsed.fadeIn, parsed.fadeOut)
        }
        return bed
    }
}
