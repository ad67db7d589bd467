import ArgumentParser
import ReelAV

/// `--max-pixels N|WxH`, shared by the commands that decode pictures.
struct PixelLimitOption: ParsableArguments {
    @Option(
        name: .customLong("max-pixels"),
        help: "Largest video frame accepted: N pixels or WxH (default 7680x4320, 8K).",
        transform: PixelLimitOption.parse)
    var limit: PixelLimit = .standard

    static func parse(_ text: String) throws -> PixelLimit {
        guard let limit = PixelLimit(text) else { throw ValidationError("expected \(PixelLimit.syntax)") }
        return limit
    }
}
