import Foundation
import ReelLibrary
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Download progress on stderr: bytes, rate and time left, redrawn in place on a terminal (at most 10 times a
/// second), a plain line every few seconds otherwise. Called from the download's task.
final class TransferMeter: Sendable {
    private struct State {
        var started = Date()
        var lastDrawn = Date()
        var drawn = false
    }
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let state = Mutex(State())

    func update(_ progress: DownloadProgress) {
        state.withLock { state in
            let now = Date()
            let interval = isTerminal ? 0.1 : 5
            guard now.timeIntervalSince(state.lastDrawn) >= interval else { return }
            state.lastDrawn = now
            let elapsed = max(now.timeIntervalSince(state.started), 0.001)
            let rate = Double(progress.received) / elapsed
            var text = Self.bytes(progress.received)
            if let expected = progress.expected, expected > 0 {
                let percent = Double(progress.received) * 100 / Double(expected)
                text += " of \(Self.bytes(expected)) (\(String(format: "%.0f", percent))%)"
                if rate > 0 {
                    text += String(format: ", %.0f s left", Double(expected - progress.received) / rate)
                }
            }
            text += "  \(Self.bytes(Int64(rate)))/s"
            if progress.attempt > 1 { text += "  attempt \(progress.attempt)" }
            if isTerminal {
                FileHandle.standardError.write(Data("\rfetch: \(text)\u{1B}[K".utf8))
                state.drawn = true
            } else {
                printError("fetch: \(text)")
            }
        }
    }

    /// Ends the redrawn line.
    func done() {
        state.withLock { state in
            if state.drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            state.drawn = false
        }
    }

    private static func bytes(_ count: Int64) -> String {
        ByteCount.text(count)
    }
}
