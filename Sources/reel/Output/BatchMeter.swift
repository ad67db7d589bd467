import Foundation
import ReelLibrary
import ReelPipeline
import Synchronization

/// A batch's progress as one line: `batch b-…: [#####-----] 120/1,000 rows, 2 failed, 35.1 rows/s, 25s left`.
final class BatchMeter: Sendable {
    private let batchID: String
    private let state = Mutex<BatchProgress?>(nil)

    init(batchID: String) {
        self.batchID = batchID
    }

    func update(_ progress: BatchProgress) {
        state.withLock { $0 = progress }
    }

    /// The line now, or nil before the first row ended.
    func line(bar: Bool) -> String? {
        guard let progress = state.withLock({ $0 }) else { return nil }
        let elapsed = max(Date().timeIntervalSince(progress.startedAt), 0.001)
        let rate = Double(progress.done) / elapsed
        var text = "batch \(batchID): "
        if bar, progress.total > 0 {
            let filled = min(20, progress.done * 20 / progress.total)
            text += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "] "
        }
        text += "\(Plural.grouped(progress.done))/\(Plural.grouped(progress.total)) rows, "
        text += "\(Plural.grouped(progress.failed)) failed, " + String(format: "%.1f rows/s", rate)
        if rate > 0, progress.done < progress.total {
            text += ", \(Self.duration(Double(progress.total - progress.done) / rate)) left"
        }
        return text
    }

    /// `42s`, `3m05s`, `1h02m`.
    private static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
    }
}
