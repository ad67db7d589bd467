import Foundation

/// A point in an input clip: seconds from its start, or a frame number (the first frame is 0).
public enum ClipTime: Sendable, Hashable, CustomStringConvertible {
    case seconds(Double)
    case frame(Int)

    /// How a clip time is written: seconds (`1.5`), `HH:MM:SS.mmm` or `MM:SS.mmm`, or a frame count (`120f`).
    public static let syntax = "seconds (1.5), HH:MM:SS.mmm or a frame count like 120f"

    /// Reads `1.5`, `00:00:07.250`, `07.25`, `01:07.250` or `120f`; nil for anything else or a negative time.
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("f") {
            guard let frame = Int(text.dropLast()), frame >= 0 else { return nil }
            self = .frame(frame)
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let last = Double(parts.last!), last >= 0, last.isFinite else {
            return nil
        }
        var seconds = last
        for (power, part) in parts.dropLast().reversed().enumerated() {
            guard let whole = Int(part), whole >= 0, last < 60 else { return nil }
            seconds += Double(whole) * pow(60, Double(power + 1))
        }
        self = .seconds(seconds)
    }

    /// Seconds from the clip's start at `frameRate` frames per second (a frame number needs the rate).
    public func seconds(at frameRate: Rational?) -> Double {
        switch self {
        case .seconds(let seconds): return seconds
        case .frame(let frame): return Double(frame) / (frameRate?.value ?? 25)
        }
    }

    /// The time as `--trim` takes it, exactly (`1.5`, `120f`).
    public var written: String {
        switch self {
        case .seconds(let seconds): "\(seconds)"
        case .frame(let frame): "\(frame)f"
        }
    }

    public var description: String {
        switch self {
        case .seconds(let seconds): "\(String(seconds: seconds)) s"
        case .frame(let frame): "frame \(frame)"
        }
    }
}

/// The part of one input a stitch keeps: from `start` (kept) to `end` (not kept), either open.
public struct Trim: Sendable, Hashable {
    public var start: ClipTime?
    public var end: ClipTime?

    public init(start: ClipTime? = nil, end: ClipTime? = nil) {
        self.start = start
        self.end = end
    }

    /// The trim as `--trim` takes it after `N=`, exactly (`1.5-120f`).
    public var written: String { "\(start?.written ?? "")-\(end?.written ?? "")" }

    /// Reads `IN-OUT`, either side empty (`1.5-`, `-00:00:07.250`, `10f-120f`); nil when malformed.
    public init?(range text: String) {
        let sides = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard sides.count == 2, sides.contains(where: { !$0.isEmpty }) else { return nil }
        let start = sides[0].isEmpty ? nil : ClipTime(sides[0])
        let end = sides[1].isEmpty ? nil : ClipTime(sides[1])
        guard sides[0].isEmpty || start != nil, sides[1].isEmpty || end != nil else { return nil }
        self.init(start: start, end: end)
    }

    /// How `--trim` is written.
    public static let syntax = "N=IN-OUT (input N from 1; IN or OUT may be left out), each \(ClipTime.syntax)"

    /// Why the trim can never keep anything, when its ends are in the same unit and out is not after in.
    var problem: String? {
        guard let start, let end else { return nil }
        let empty: Bool
        switch (start, end) {
        case (.seconds(let a), .seconds(let b)): empty = b <= a
        case (.frame(let a), .frame(let b)): empty = b <= a
        default: empty = false
        }
        return empty ? "out (\(end)) must be after in (\(start))" : nil
    }
}

/// Fades from black at the start and to black (and silence) at the end of a stitch's output, in seconds; 0 for
/// none. Fading needs decoded pictures, so a fade makes a stitch re-encode.
public struct Fade: Sendable, Hashable {
    public var fadeIn: Double
    public var fadeOut: Double

    public init(in fadeIn: Double = 0, out fadeOut: Double = 0) {
        self.fadeIn = fadeIn
        self.fadeOut = fadeOut
    }

    /// Reads `IN:OUT` (`0.5:1`, `:2`, `1:`) as `--fade` takes it; nil when malformed.
    public init?(flag text: String) {
        let sides = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2 else { return nil }
        let values = sides.map { $0.isEmpty ? 0 : Double($0) }
        guard let fadeIn = values[0], let fadeOut = values[1] else { return nil }
        self.init(in: fadeIn, out: fadeOut)
    }

    /// How `--fade` is written.
    public static let syntax = "IN:OUT in seconds (0.5:1; either may be left out)"

    /// Why the fade cannot be made, before the inputs are read; nil when it can.
    var problem: String? {
        guard fadeIn.isFinite, fadeOut.isFinite, fadeIn >= 0, fadeOut >= 0 else {
            return "in \(fadeIn) s and out \(fadeOut) s must be seconds, 0 or more"
        }
        return fadeIn + fadeOut > 0 ? nil : "give a fade in or a fade out longer than 0 s"
    }

    /// The gain at `position` of `length` units (frames or samples) with `rate` units per second: a straight
    /// line from 0 at the start over the fade in, and down to 0 at the last unit over the fade out.
    func gain(at position: Int64, of length: Int64, rate: Double) -> Double {
        let fadeInUnits = fadeIn * rate
        let fadeOutUnits = fadeOut * rate
        var gain = 1.0
        if fadeInUnits > 0 { gain = min(gain, Double(position) / fadeInUnits) }
        if fadeOutUnits > 0 { gain = min(gain, Double(length - 1 - position) / fadeOutUnits) }
        return max(0, gain)
    }
}
