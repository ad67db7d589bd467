import Foundation
import ReelAV
import ReelLibrary

/// Runs a validated pipeline: independent stages at the same time (at most `jobs` at once), each stage once every
/// stage it reads has finished. A failed stage skips the stages downstream of it; independent branches go on.
public struct PipelineRunner: Sendable {
    /// Does each stage's work.
    public var executor: any StageExecutor
    /// Where outcomes are remembered between runs; nil runs everything (`--no-cache`).
    public var cache: (any StageCache)?
    /// Most stages running at once.
    public var jobs: Int
    /// Shared with other runs so that stages with one cache key run one at a time (a batch's rows).
    public var gate: StageGate?

    public init(executor: any StageExecutor, cache: (any StageCache)?, jobs: Int, gate: StageGate? = nil) {
        self.executor = executor
        self.cache = cache
        self.jobs = max(1, jobs)
        self.gate = gate
    }

    /// Runs every stage of `pipeline` and returns their reports in file order. Never throws: a stage's error is
    /// in its report. If the surrounding task is cancelled, stages not yet finished are reported `cancelled`.
    public func run(
        _ pipeline: Pipeline, events: AsyncStream<RunEvent>.Continuation? = nil
    ) async -> [StageReport] {
        let graph = PipelineGraph(pipeline)
        let stages = Dictionary(uniqueKeysWithValues: pipeline.stages.map { ($0.id, $0) })
        var readiness = Readiness(graph)
        var reports: [String: StageReport] = [:]
        var outcomes: [String: StageOutcome] = [:]
        // Stages whose inputs all finished ok, waiting for a free job, first ready first started.
        var runnable: [String] = []
        var nextRunnable = 0

        await withTaskGroup(of: (StageReport, StageOutcome?).self) { group in
            var running = 0

            /// Sorts stages that wait for nothing more: runnable, or skipped (cancelled) at once when an input did
            /// not finish ok, which in turn may free the stages after them.
            func settle(_ ready: [String]) {
                var pending = ready
                while let id = pending.popLast() {
                    guard let stage = stages[id] else { continue }
                    guard let blocked = (graph.dependencies[id] ?? []).first(where: { reports[$0]?.status != .ok })
                    else {
                        runnable.append(id)
                        continue
                    }
                    let cause = reports[blocked]?.status == .cancelled ? StageStatus.cancelled : .skipped
                    var report = StageReport(
                        stage: stage, status: cause, error: "input stage \"\(blocked)\" did not finish")
                    report.finishedAt = Date()
                    reports[id] = report
                    events?.yield(.finished(report))
                    pending.append(contentsOf: readiness.finish(id).reversed())
                }
            }

            func launch() {
                while running < jobs, !Task.isCancelled, nextRunnable < runnable.count {
                    let id = runnable[nextRunnable]
                    nextRunnable += 1
                    guard let stage = stages[id] else { continue }
                    running += 1
                    let inputs = stage.inputs.compactMap { outcomes[$0] }
                    events?.yield(.started(id: id, type: stage.type))
                    group.addTask { await runStage(stage, inputs: inputs, events: events) }
                }
            }

            settle(readiness.initial.reversed())
            launch()
            while let (report, outcome) = await group.next() {
                running -= 1
                reports[report.id] = report
                if let outcome { outcomes[report.id] = outcome }
                events?.yield(.finished(report))
                settle(readiness.finish(report.id).reversed())
                launch()
            }
        }

        return pipeline.stages.map { stage in
            reports[stage.id] ?? StageReport(stage: stage, status: .cancelled, error: "the run was cancelled")
        }
    }

    /// One stage: cache lookup, else the executor, then the cache record; timings and errors into the report.
    private func runStage(
        _ stage: Stage, inputs: [StageOutcome], events: AsyncStream<RunEvent>.Continuation?
    ) async -> (StageReport, StageOutcome?) {
        var report = StageReport(stage: stage, status: .ok)
        report.startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let key = CacheKey.of(stage, inputs: inputs, material: await executor.cacheKeyMaterial(for: stage))
        report.cacheKey = key
        var result: StageOutcome?
        if let gate { await gate.acquire(key) }
        do {
            try Task.checkCancellation()
            var outcome: StageOutcome
            if let cached = try await cache?.outcome(for: key, stage: stage) {
                outcome = cached
                outcome.cacheHit = true
            } else {
                outcome = try await executeAndRecord(stage, inputs: inputs, key: key, events: events)
            }
            report.cacheHit = outcome.cacheHit
            report.warnings = outcome.warnings
            report.outputs = outcome.outputs
            result = outcome
        } catch {
            let cancelled = Self.isCancellation(error) || Task.isCancelled
            report.status = cancelled ? .cancelled : .failed
            report.error =
                cancelled ? "cancelled" : "\(stage.type.rawValue) \"\(stage.id)\": \(ErrorLine.describe(error))"
        }
        if let gate { await gate.release(key) }
        report.finishedAt = Date()
        let elapsed = clock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (report, result)
    }

    /// Runs the stage and records its outcome. An output collected by a `gc` between the stage's ingest and its
    /// record (the stage reused an old draft of the same bytes) is made again: the stage runs once more.
    private func executeAndRecord(
        _ stage: Stage, inputs: [StageOutcome], key: String, events: AsyncStream<RunEvent>.Continuation?
    ) async throws -> StageOutcome {
        var attempt = 1
        while true {
            let outcome = try await executor.execute(stage, inputs: inputs) { fraction in
                events?.yield(.progress(id: stage.id, fraction: fraction))
            }
            try Task.checkCancellation()
            do {
                try await cache?.record(outcome, for: key, stage: stage)
                return outcome
            } catch StageError.outputCollected where attempt < 3 {
                attempt += 1
            }
        }
    }

    /// Whether `error` says the work was cancelled: Swift's own, or media work stopped by its cancellation flag.
    static func isCancellation(_ error: any Error) -> Bool {
        switch error {
        case is CancellationError: true
        case let error as AVError: error == .cancelled
        case let error as StitchError: error == .cancelled
        case let error as ThumbnailError: error == .media(.cancelled)
        default: false
        }
    }
}
