import Foundation
import ReelPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The running stages of `reel run` on a terminal: one line each (id, type, elapsed time, and a bar when the stage
/// reports progress), redrawn in place at most ten times a second. A finished stage's line is printed once above
/// the block and stays.
final class LiveStages {
    /// What the block reacts to: a run event, a line to print above it, or the clock (to move elapsed times on).
    enum Update: Sendable {
        case event(RunEvent)
        case note(String)
        case tick
    }

    private struct Running {
        var id: String
        var type: StageType
        var started: Date
        var fraction: Double?
    }

    private var running: [Running] = []
    /// A line drawn above the running stages (a batch's bar); with one, stages that end ok print nothing.
    private let banner: (@Sendable () -> String?)?
    /// Lines of the block on screen now, the cursor on the line below them.
    private var drawnLines = 0

    init(banner: (@Sendable () -> String?)? = nil) {
        self.banner = banner
    }

    func apply(_ update: Update) {
        switch update {
        case .event(.started(let id, let type)):
            running.append(Running(id: id, type: type, started: Date(), fraction: nil))
        case .event(.progress(let id, let fraction)):
            if let index = running.firstIndex(where: { $0.id == id }) { running[index].fraction = fraction }
        case .event(.finished(let report)):
            running.removeAll { $0.id == report.id }
            let line = banner != nil && report.status == .ok ? "" : "\(RunProgress.line(for: report))\n"
            write(erase() + line + block())
        case .note(let line):
            write(erase() + "\(line)\n" + block())
        case .tick:
            guard !running.isEmpty || drawnLines > 0 || banner != nil else { return }
            write(erase() + block())
        }
    }

    /// Removes the block, leaving the cursor where it began.
    func clear() {
        write(erase())
    }

    /// Cursor up to the block's first line, then everything below it cleared.
    private func erase() -> String {
        defer { drawnLines = 0 }
        return (drawnLines > 0 ? "\r\u{1B}[\(drawnLines)A" : "\r") + "\u{1B}[J"
    }

    /// The block's lines, each cleared first and cut to the terminal's width so none wraps.
    private func block() -> String {
        let width = terminalWidth()
        let now = Date()
        let top = banner?().map { ["\u{1B}[2K" + String($0.prefix(max(1, width - 1))) + "\n"] } ?? []
        drawnLines = running.count + top.count
        return
            (top
            + running.map { stage in
                let elapsed = String(format: "%.1fs", now.timeIntervalSince(stage.started))
                var text = "▶ \(stage.id) (\(stage.type.rawValue)) \(elapsed)"
                if let fraction = stage.fraction {
                    let filled = Int((min(max(fraction, 0), 1) * 20).rounded(.down))
                    text +=
                        " [" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "]"
                    text += String(format: " %3.0f%%", fraction * 100)
                }
                return "\u{1B}[2K" + String(text.prefix(max(1, width - 1))) + "\n"
            }).joined()
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
