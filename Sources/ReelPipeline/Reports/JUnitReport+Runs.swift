import Foundation

extension JUnitReport {
    /// A single run: one suite, its stages then its expectation checks as test cases.
    public init(run manifest: RunManifest) {
        let stages = manifest.stages.map { stage in
            var test = JUnitReport.Case(
                name: stage.id, className: "\(manifest.pipeline.name).\(stage.type.rawValue)", seconds: stage.seconds)
            switch stage.status {
            case .ok: break
            case .failed: test.result = .failed(message: stage.error ?? "failed")
            case .skipped, .cancelled: test.result = .skipped(stage.error ?? stage.status.rawValue)
            }
            return test
        }
        let checks = manifest.expect.map { check in
            JUnitReport.Case(
                name: "\(check.stage) \(check.check)", className: "\(manifest.pipeline.name).expect",
                result: check.ok
                    ? .passed
                    : .failed(
                        message: "\(check.check): expected \(check.expected), got \(check.actual)",
                        detail: "expected: \(check.expected)\nactual: \(check.actual)"))
        }
        self.init(
            name: manifest.pipeline.name,
            suites: [
                Suite(
                    name: "\(manifest.pipeline.name) \(manifest.runID)", cases: stages + checks,
                    startedAt: manifest.startedAt)
            ])
    }

    /// A batch: one suite, a test case per row (named by its key), failed with the row's error; a cancelled row
    /// is skipped.
    public init(batch summary: BatchSummary, rows: [BatchRowResult]) {
        let cases = rows.sorted { $0.line < $1.line }.map { row in
            var test = JUnitReport.Case(
                name: row.key, className: "\(summary.pipeline.name).row", seconds: row.seconds)
            switch row.status {
            case .ok: break
            case .failed, .invalid:
                test.result = .failed(
                    message: row.error ?? row.status.rawValue, detail: "line \(row.line): \(row.error ?? "")")
            case .cancelled: test.result = .skipped(row.error ?? "cancelled")
            }
            return test
        }
        self.init(
            name: summary.pipeline.name,
            suites: [Suite(name: "batch \(summary.batchID)", cases: cases, startedAt: summary.startedAt)])
    }
}
