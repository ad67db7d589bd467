import Foundation
import ReelAV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress on stderr: a live bar redrawn in place on a terminal, plain lines (one every few seconds of output)
/// otherwise.
final class ProgressReporter {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let started = Date()
    private var lastPlain = -10.0
    private var drawn = false
    private var lastDrawn = Date.distantPast

    /// A line of its own (clearing the bar first).
    func line(_ text: String) {
        clear()
        printError(text)
    }

    func update(_ progress: StitchProgress) {
        let elapsed = Date().timeIntervalSince(started)
        let speed = elapsed > 0 ? progress.seconds / elapsed : 0
        let fraction = progress.totalSeconds > 0 ? min(1, progress.seconds / progress.totalSeconds) : 0
        let timing = String(
            format: "%.1f/%.1f s  %.2fx  input %d/%d", progress.seconds, progress.totalSeconds, speed,
            progress.input + 1, progress.inputCount)
        if isTerminal {
            guard Date().timeIntervalSince(lastDrawn) >= 0.1 || fraction >= 1 else { return }
            lastDrawn = Date()
            let filled = Int(fraction * 30)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(timing)\u{1B}[K".utf8))
            drawn = true
        } else if progress.seconds - lastPlain >= 5 {
            lastPlain = progress.seconds
            printError("stitch: \(timing)")
        }
    }

    /// Ends the bar's line.
    func done() { clear() }

    private func clear() {
        if drawn {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            drawn = false
        }
    }
}
