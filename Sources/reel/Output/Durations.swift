import Foundation

/// Ages and dates as people type them on the command line.
enum Durations {
    /// Seconds in `30d`, `12h`, `90m`, `45s` or `2w`; nil when malformed.
    static func seconds(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0 else { return nil }
        let scale: Double? =
            switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86400
            case "w": 604_800
            default: nil
            }
        return scale.map { $0 * value }
    }

    /// An ISO 8601 date (`2026-11-20` or `2026-11-20T10:00:00Z`) or an age before now (`7d`).
    static func date(_ text: String) -> Date? {
        if let age = seconds(text) { return Date().addingTimeInterval(-age) }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
