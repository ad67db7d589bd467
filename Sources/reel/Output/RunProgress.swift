import Foundation
import ReelLibrary
import ReelPipeline

/// What `reel run` tells a person: a line per stage as it starts and ends (stderr), a summary at the end (stdout).
enum RunProgress {
    static func print(_ event: RunEvent) {
        switch event {
        case .started(let id, let type):
            printError("▶ \(id) (\(type.rawValue))")
        case .finished(let report):
            let time = report.seconds.map { String(format: " %.2fs", $0) } ?? ""
            switch report.status {
            case .ok: printError("✔ \(report.id)\(time)\(report.cacheHit ? " (cached)" : "")")
            case .failed: printError("✘ \(report.id)\(time): \(report.error ?? "failed")")
            case .skipped, .cancelled: printError("– \(report.id) \(report.status.rawValue): \(report.error ?? "")")
            }
        }
    }

    /// Per stage its status and outputs, then the lineage tree of every stitched video.
    static func summarize(_ manifest: RunManifest, library: Library) {
        Swift.print("run \(manifest.runID): \(manifest.status.rawValue)")
        for stage in manifest.stages {
            let time = stage.seconds.map { String(format: "%.2fs", $0) } ?? "-"
            Swift.print(
                "  \(stage.id.padding(toLength: 12, withPad: " ", startingAt: 0)) \(stage.status.rawValue) \(time)"
                    + (stage.cacheHit ? " cached" : ""))
            for output in stage.outputs {
                Swift.print("      \(output.role) \(output.itemID ?? "-") \(output.path ?? "")")
            }
            for warning in stage.warnings { Swift.print("      note: \(warning)") }
        }
        for check in manifest.expect {
            Swift.print(
                "  expect \(check.stage) \(check.check): \(check.ok ? "ok" : "FAILED") (expected \(check.expected), "
                    + "got \(check.actual))")
        }
        for stage in manifest.stages where stage.type == .stitch {
            guard let id = stage.outputs.first?.itemID, let tree = try? library.lineage(of: id) else { continue }
            Swift.print("\nlineage of \(stage.id):")
            Swift.print(ItemTable.tree(tree))
        }
    }
}
