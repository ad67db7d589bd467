import Foundation

/// Sizes written the way people write them: `500MB`, `2GiB`, `1048576`.
public enum ByteSize {
    /// What a size may be, for messages of every face (`--max-size`, `max_size`).
    public static let syntax = "a positive size like 500MB or 2GiB"

    /// Bytes for `text`, or nil when it is not a size. Decimal units are powers of 1000, binary (`KiB`…) of 1024.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(digits), value > 0 else { return nil }
        let multipliers: [String: Double] = [
            "": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
            "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824, "tib": 1_099_511_627_776,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        let bytes = value * multiplier
        guard bytes >= 1, bytes < 9e18 else { return nil }
        return Int64(bytes)
    }
}
