/// Which frame a thumbnail shows: a time from the start of the clip, a share of its duration, or the best one.
public enum ThumbnailTime: Sendable, Hashable, CustomStringConvertible {
    /// Seconds from the start of the clip (not raw timestamps).
    case seconds(Double)
    /// A percentage of the clip's duration, 0 ≤ p < 100.
    case percent(Double)
    /// A representative frame: not black, not flat, not blurry; closest to the clip's mean histogram.
    case best

    /// Parses `12.5`, `25%` or `best`, as `--at` and the stage's `at` field take them.
    public init(parsing text: String) throws(ThumbnailError) {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if trimmed.lowercased() == "best" {
            self = .best
            return
        }
        let isPercent = trimmed.hasSuffix("%")
        let number = isPercent ? String(trimmed.dropLast()) : trimmed
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
            let value = Double(number), value.isFinite
        else { throw .malformedTime(text) }
        guard value >= 0 else { throw .negativeTime(text) }
        if isPercent {
            guard value < 100 else { throw .percentOutOfRange(text) }
            self = .percent(value)
        } else {
            self = .seconds(value)
        }
    }

    /// `12.5`, `25%` or `best`.
    public var description: String {
        switch self {
        case .seconds(let value): "\(value)"
        case .percent(let value): "\(value)%"
        case .best: "best"
        }
    }
}
