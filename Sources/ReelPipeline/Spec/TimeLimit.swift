import Foundation

/// Time limits written the way people write them: `90`, `30s`, `10m`, `1.5h`, `500ms`.
public enum TimeLimit {
    /// What a time limit may be, for messages of every face (`--timeout`, `timeout`).
    public static let syntax = "a positive time like 90s, 10m or 1h"

    /// The duration `text` names, or nil when it is not a positive time. A bare number is seconds; `m` is minutes.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let seconds: [String: Double] = ["": 1, "s": 1, "ms": 0.001, "m": 60, "min": 60, "h": 3600]
        guard let value = Double(digits), let multiplier = seconds[unit], value * multiplier >= 0.001,
            value * multiplier < 1e9
        else { return nil }
        return .milliseconds(Int64((value * multiplier * 1000).rounded()))
    }
}
