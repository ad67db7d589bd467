import ArgumentParser
import Foundation

/// A date or an age as the user typed it (`--since 7d`, `--since 2026-11-20`), checked before any work.
enum AgeOption {
    /// Throws a usage error naming `option` when `text` is neither an ISO 8601 date nor an age.
    static func checkDate(_ text: String?, option: String) throws {
        if let text, Durations.date(text) == nil {
            throw ValidationError("\(option) \(text): expected an ISO 8601 date or an age like 7d, 12h or 90m")
        }
    }

    /// Throws a usage error naming `option` when `text` is not an age.
    static func checkAge(_ text: String, option: String) throws {
        if Durations.seconds(text) == nil {
            throw ValidationError("\(option) \(text): expected an age like 30d, 12h or 90m")
        }
    }
}
