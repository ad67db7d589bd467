import CFFmpeg

/// How one input gives way to the next over a transition.
public enum TransitionStyle: String, Sendable, Codable, CaseIterable {
    /// A butt join: no overlap (an override that turns a default transition off at one boundary).
    case cut
    /// A dissolve: the next input blended in over the overlap.
    case crossfade
    /// The first input faded to black over the first half, the next faded in from black over the second.
    case fadeBlack = "fade-black"
    /// The next input uncovered by an edge moving from the right to the left, or from the left to the right.
    case wipeLeft = "wipe-left"
    case wipeRight = "wipe-right"
    /// The first input pushed out to the left (or the right) by the next one coming in behind it.
    case slideLeft = "slide-left"
    case slideRight = "slide-right"
}

/// A transition into an input: its style and how long the two inputs overlap. The output is shorter than the
/// inputs by every overlap, exactly; the audio crossfades over the same overlap (equal power; for `fade-black`
/// down to silence and back up), so sound and picture stay together at every boundary.
public struct Transition: Sendable, Hashable {
    public var style: TransitionStyle
    /// Seconds the two inputs overlap; 0 for a cut.
    public var duration: Double

    /// The longest overlap, in seconds.
    public static let longest = 60.0

    public init(_ style: TransitionStyle, duration: Double) {
        self.style = style
        self.duration = style == .cut ? 0 : duration
    }

    /// Reads `STYLE:SECONDS` (`crossfade:1`, `fade-black:0.5`) or `cut`, as `--transition` takes it; nil when
    /// malformed.
    public init?(flag text: String) {
        let sides = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let style = TransitionStyle(rawValue: sides[0]) else { return nil }
        if style == .cut {
            guard sides.count == 1 else { return nil }
            self.init(.cut, duration: 0)
            return
        }
        guard sides.count == 2, let duration = Double(sides[1]) else { return nil }
        self.init(style, duration: duration)
    }

    /// How `--transition` is written.
    public static let syntax =
        "[N=]STYLE:SECONDS (the transition into input N, else into every input), STYLE one of "
        + TransitionStyle.allCases.filter { $0 != .cut }.map(\.rawValue).joined(separator: ", ") + ", or [N=]cut"

    /// The transition as `--transition` takes it, exactly (`crossfade:1.0`, `cut`).
    public var written: String { style == .cut ? "cut" : "\(style.rawValue):\(duration)" }

    /// Why the transition cannot be made whatever the inputs, or nil.
    var problem: String? {
        guard style != .cut else { return nil }
        guard duration.isFinite, duration > 0, duration <= Self.longest else {
            return "\(style.rawValue): \(duration) s must be more than 0 and at most \(Int(Self.longest)) s"
        }
        return nil
    }

    /// The output frames the two inputs share at `fps` (at least one for anything but a cut).
    func frames(at fps: Double) -> Int64 {
        style == .cut ? 0 : max(1, Int64((duration * fps).rounded()))
    }
}

extension StitchOptions {
    /// The transition into input `position` (from 2): its own, else the default; nil for a cut.
    public func transition(into position: Int) -> Transition? {
        guard position >= 2, let transition = transitions[position] ?? transition, transition.style != .cut else {
            return nil
        }
        return transition
    }

    /// The output frames at `fps` that input `position` shares with the one before it; 0 at a cut.
    func overlap(into position: Int, at fps: Double) -> Int64 {
        transition(into: position)?.frames(at: fps) ?? 0
    }
}

extension PictureCompositor {
    /// The picture `progress` (0 to 1) of the way through `transition` from `from` to `to` (composed frames of one
    /// size), in fresh buffers.
    static func transition(
        _ style: TransitionStyle, from: Frame, to: Frame, progress: Double
    ) throws(AVError) -> Frame {
        let (width, height) = (from.width, from.height)
        let canvas = try Frame()
        try canvas.allocateVideo(width: width, height: height, pixelFormat: .yuv420p)
        let progress = max(0, min(1, progress))
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            guard let target = canvas.plane(plane), let a = from.plane(plane), let b = to.plane(plane) else {
                throw .invalidArgument("stitch: a composed picture has no plane \(plane)")
            }
            let (planeWidth, planeHeight) = (Int32(width >> shift), Int32(height >> shift))
            let black: Int32 = plane == 0 ? 16 : 128
            switch style {
            case .cut:
                reel_fade_plane(
                    b.base, Int32(b.stride), target.base, Int32(target.stride), planeWidth, planeHeight, 0, 256)
            case .crossfade:
                reel_blend_planes(
                    a.base, Int32(a.stride), b.base, Int32(b.stride), target.base, Int32(target.stride), planeWidth,
                    planeHeight, Int32((progress * 256).rounded()))
            case .fadeBlack:
                let (source, gain) = progress < 0.5 ? (a, 1 - 2 * progress) : (b, 2 * progress - 1)
                reel_fade_plane(
                    source.base, Int32(source.stride), target.base, Int32(target.stride), planeWidth, planeHeight,
                    black, Int32((gain * 256).rounded()))
            case .wipeLeft, .wipeRight, .slideLeft, .slideRight:
                // The columns of the next input: from the right edge (…-left) or the left edge (…-right).
                let uncovered = Int32((Double(planeWidth) * progress).rounded())
                let toLeft = style == .wipeLeft || style == .slideLeft
                let slides = style == .slideLeft || style == .slideRight
                reel_wipe_planes(
                    a.base, Int32(a.stride), b.base, Int32(b.stride), target.base, Int32(target.stride), planeWidth,
                    planeHeight, uncovered, toLeft ? 1 : 0, slides ? 1 : 0)
            }
        }
        return canvas
    }
}
