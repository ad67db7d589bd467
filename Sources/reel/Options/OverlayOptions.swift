import ArgumentParser
import ReelAV

/// `--overlay PICTURE` and how it is laid over a stitch: `--overlay-position`, `--overlay-margin`, `--overlay-scale`,
/// `--overlay-opacity`, `--overlay-time`. The defaults are ``Overlay``'s.
struct OverlayOptions: ParsableArguments {
    @Option(help: "A PNG or JPEG (a logo, a watermark) laid over the output, its transparency kept.")
    var overlay: String?

    @Option(
        name: .customLong("overlay-position"),
        help: ArgumentHelp(
            "Where the overlay goes: \(OverlayPlacement.syntax) (default \(defaults.placement.written)).",
            valueName: "POSITION"))
    var position: String?

    @Option(
        name: .customLong("overlay-margin"),
        help: "Pixels between the overlay and the frame's edges, in a corner (default \(defaults.margin)).")
    var margin: Int?

    @Option(
        name: .customLong("overlay-scale"),
        help: "The overlay's size relative to the picture's (0.01-16, default \(defaults.scale)).")
    var scale: Double?

    @Option(
        name: .customLong("overlay-opacity"),
        help: "From 0 (invisible) to 1 (as opaque as the picture; the default).")
    var opacity: Double?

    @Option(
        name: .customLong("overlay-time"),
        help: ArgumentHelp(
            "When the overlay shows: \(Overlay.timesSyntax); default: all along.", valueName: "FROM-UNTIL"))
    var time: String?

    private static let defaults = Overlay(path: "")

    /// The overlay the flags ask for; nil without `--overlay`.
    func requested() throws -> Overlay? {
        guard let overlay else {
            let given: [(String, Bool)] = [
                ("--overlay-position", position != nil), ("--overlay-margin", margin != nil),
                ("--overlay-scale", scale != nil), ("--overlay-opacity", opacity != nil),
                ("--overlay-time", time != nil),
            ]
            if let flag = given.first(where: \.1)?.0 {
                throw ValidationError("\(flag) needs --overlay (the picture to lay over the output)")
            }
            return nil
        }
        var result = Overlay(path: overlay)
        if let position {
            guard let placement = OverlayPlacement(position) else {
                throw ValidationError("--overlay-position \(position): not \(OverlayPlacement.syntax)")
            }
            result.placement = placement
        }
        if let time {
            guard let times = Overlay.times(flag: time) else {
                throw ValidationError("--overlay-time \(time): not \(Overlay.timesSyntax)")
            }
            (result.from, result.until) = times
        }
        result.margin = margin ?? result.margin
        result.scale = scale ?? result.scale
        result.opacity = opacity ?? result.opacity
        return result
    }
}
