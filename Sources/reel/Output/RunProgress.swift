import Foundation
import ReelLibrary
import ReelPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `reel run` tells a person: on stderr a line per stage as it starts and ends, or on a terminal a live block
/// of the running stages redrawn in place above which finished stages stay; a summary at the end (stdout).
enum RunProgress {
    /// Shows `events` and `notes` (lines such as "interrupted, stopping…") until both streams end: live on a
    /// terminal, plain lines otherwise. A `banner` (a batch's progress) is drawn above the live stages on a
    /// terminal, and printed as a plain line every `every` otherwise.
    static func show(
        _ events: AsyncStream<RunEvent>, notes: AsyncStream<String>, banner: (@Sendable () -> String?)? = nil,
        every: Duration = .seconds(5)
    ) async {
        let isTerminal = isatty(STDERR_FILENO) != 0
        let live = isTerminal ? LiveStages(banner: banner) : nil
        let (updates, continuation) = AsyncStream.makeStream(
            of: LiveStages.Update.self, bufferingPolicy: .bufferingNewest(256))
        let forward = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await event in events { continuation.yield(.event(event)) } }
                group.addTask { for await note in notes { continuation.yield(.note(note)) } }
            }
            continuation.finish()
        }
        let ticker = Task {
            if !isTerminal {
                guard let banner else { return }
                while !Task.isCancelled {
                    try? await Task.sleep(for: every)
                    if !Task.isCancelled, let line = banner() { continuation.yield(.note(line)) }
                }
                return
            }
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                continuation.yield(.tick)
            }
        }
        for await update in updates {
            if let live {
                live.apply(update)
            } else if case .event(let event) = update {
                print(event)
            } else if case .note(let line) = update {
                printError(line)
            }
        }
        ticker.cancel()
        await forward.value
        live?.clear()
    }

    /// One plain line for a stage starting or ending; progress is not printed.
    static func print(_ event: RunEvent) {
        switch event {
        case .started(let id, let type):
            printError("▶ \(id) (\(type.rawValue))")
        case .progress:
            break
        case .finished(let report):
            printError(line(for: report))
        }
    }

    /// `✔ id 1.23s`, `✘ id 0.40s: why` or `– id cancelled: why`.
    static func line(for report: StageReport) -> String {
        let time = report.seconds.map { String(format: " %.2fs", $0) } ?? ""
        switch report.status {
        case .ok: return "✔ \(report.id)\(time)\(report.cacheHit ? " (cached)" : "")"
        case .failed: return "✘ \(report.id)\(time): \(report.error ?? "failed")"
        case .skipped, .cancelled: return "– \(report.id) \(report.status.rawValue): \(report.error ?? "")"
        }
    }

    /// The run as `runs show` shows it, then the lineage of every stitched video.
    static func summarize(_ manifest: RunManifest, library: Library) throws {
        Swift.print(try RunView.render(manifest))
        for stage in manifest.stages where stage.type == .stitch {
            guard let id = stage.outputs.first?.itemID, let node = try? library.lineage(of: id) else { continue }
            Swift.print("\nlineage of \(stage.id):")
            Swift.print(ItemTable.lineage(node))
        }
    }
}
