import Foundation
import ReelLibrary

/// How far a batch is: rows finished of the rows it was given, how many failed, since when.
public struct BatchProgress: Sendable {
    public var done: Int
    public var failed: Int
    public var total: Int
    public var startedAt: Date
}

/// A batch run against a library: every row of its shard not already done is run as one pipeline run (recorded
/// like any `reel run`), at most `jobs` rows at once, and recorded as a row of the batch; a JSONL manifest of
/// the rows goes to `<library>/runs/`.
public struct BatchRun: Sendable {
    public let plan: BatchPlan
    public let library: Library
    public let jobs: Int
    public let useCache: Bool
    /// Run rows an earlier run of the batch finished ok again (`--rerun ok`).
    public let rerunOK: Bool
    private let gate = StageGate()

    public init(plan: BatchPlan, library: Library, jobs: Int, useCache: Bool, rerunOK: Bool) {
        self.plan = plan
        self.library = library
        self.jobs = max(1, jobs)
        self.useCache = useCache
        self.rerunOK = rerunOK
    }

    /// `<library>/runs/<batch id>.jsonl`, or `<batch id>.shard-I-of-N.jsonl` for a shard.
    public var manifestPath: String {
        let name = plan.batchID + (plan.shard.map { ".shard-\($0.index)-of-\($0.count)" } ?? "") + ".jsonl"
        return (library.runsDirectory as NSString).appendingPathComponent(name)
    }

    /// Runs the batch. Row failures are in the summary, not thrown; what throws is a library that cannot record
    /// the batch. `rowResult` gets each row as it ends (for a JUnit report), `progress` the count after each row,
    /// `events` each row's stage events with stage ids as `key/stage`.
    public func execute(
        events: AsyncStream<RunEvent>.Continuation? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil,
        rowResult: (@Sendable (BatchRowResult) -> Void)? = nil
    ) async throws -> BatchSummary {
        let started = Date()
        try library.recordBatch(batchRecord(at: started))
        try FileManager.default.createDirectory(atPath: library.runsDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: manifestPath, contents: nil)
        guard let manifest = FileHandle(forWritingAtPath: manifestPath) else {
            throw LibraryError.writeFailed(path: manifestPath, detail: "cannot be opened for writing")
        }
        defer { try? manifest.close() }
        var summary = BatchSummary(
            batchID: plan.batchID,
            pipeline: RunManifest.PipelineReference(
                name: plan.pipelineName, path: plan.pipelinePath, sha256: plan.pipelineSHA256),
            rowsPath: plan.rows.path, rowsSHA256: plan.rowsSHA256, shard: plan.shard?.description,
            rows: plan.shardRowCount, ok: 0, failed: 0, cached: 0, cancelled: 0, problems: [],
            manifest: manifestPath, startedAt: started, finishedAt: started)
        var state = BatchProgress(done: 0, failed: 0, total: plan.shardRowCount, startedAt: started)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        func finish(_ result: BatchRowResult, recorded: Bool = false) throws {
            if !recorded { try library.recordBatchRow(record(of: result)) }
            var line = try encoder.encode(result)
            line.append(0x0A)
            try manifest.write(contentsOf: line)
            switch result.status {
            case .ok:
                summary.ok += 1
                if result.cached { summary.cached += 1 }
            case .failed, .invalid: summary.failed += 1
            case .cancelled: summary.cancelled += 1
            }
            if result.status != .ok {
                summary.problems.append(
                    BatchSummary.Problem(line: result.line, key: result.key, status: result.status, error: result.error)
                )
                state.failed += result.status == .cancelled ? 0 : 1
            }
            state.done += 1
            rowResult?(result)
            progress?(state)
        }

        let reader = try plan.rows.reader()
        try await withThrowingTaskGroup(of: (BatchRowResult, recorded: Bool).self) { group in
            var running = 0
            while let row = try reader.next() {
                let key = try row.key(field: plan.keyField, file: plan.rows.path)
                guard plan.shard?.contains(key: key) ?? true else { continue }
                if Task.isCancelled { break }
                if let problem = plan.invalidRows[row.line] {
                    try finish(
                        BatchRowResult(key: key, line: row.line, status: .invalid, cached: false, error: problem))
                    continue
                }
                if let done = try finished(key: key, line: row.line) {
                    try finish(done)
                    continue
                }
                if running == jobs, let (result, recorded) = try await group.next() {
                    running -= 1
                    try finish(result, recorded: recorded)
                }
                running += 1
                group.addTask { await self.run(row, key: key, events: events) }
            }
            while let (result, recorded) = try await group.next() { try finish(result, recorded: recorded) }
        }
        // Rows never reached because the batch was interrupted count as cancelled; nothing is recorded for them.
        summary.cancelled += summary.rows - (summary.ok + summary.failed + summary.cancelled)
        summary.problems.sort { $0.line < $1.line }
        summary.finishedAt = Date()
        try library.recordBatch(batchRecord(at: started))
        return summary
    }

    /// The row's result from an earlier run of the batch when it ended ok there and its outputs are all still in
    /// the library (row and object file, as the stage cache asks); nil when it is to run.
    private func finished(key: String, line: Int) throws -> BatchRowResult? {
        guard !rerunOK, let record = try library.batchRow(batchID: plan.batchID, key: key), record.status == "ok",
            let json = record.outputsJSON,
            let outputs = try? JSONDecoder().decode([String: [StageOutput]].self, from: Data(json.utf8))
        else { return nil }
        for output in outputs.values.joined() {
            guard let itemID = output.itemID else { continue }
            guard let sha256 = output.sha256, try library.holdsObject(itemID: itemID, sha256: sha256) else {
                return nil
            }
        }
        return BatchRowResult(
            key: key, line: line, status: .ok, cached: true, runID: record.runID, seconds: nil, error: nil,
            outputs: outputs)
    }

    /// One row as one pipeline run, and whether its batch row was recorded with the run (in one transaction).
    private func run(
        _ row: BatchRow, key: String, events: AsyncStream<RunEvent>.Continuation?
    ) async -> (BatchRowResult, recorded: Bool) {
        var result = BatchRowResult(key: key, line: row.line, status: .failed, cached: false)
        var recorded = false
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let pipeline = try plan.pipeline(for: row)
            let run = PipelineRun(
                pipeline: pipeline, path: plan.pipelinePath, library: library, jobs: 1, useCache: useCache,
                gate: useCache ? gate : nil)
            let line = row.line
            let (manifest, rowRecorded) = try await withRowEvents(key: key, events: events) { events in
                try await run.execute(events: events, definition: plan.definition) { manifest in
                    try record(of: Self.result(of: manifest, key: key, line: line))
                }
            }
            result = Self.result(of: manifest, key: key, line: row.line)
            recorded = rowRecorded
        } catch {
            result.error = ErrorLine.describe(error)
            result.status = Task.isCancelled ? .cancelled : .failed
        }
        let elapsed = clock.now - start
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (result, recorded)
    }

    /// The row's result as its run's manifest tells it (without the time it took).
    private static func result(of manifest: RunManifest, key: String, line: Int) -> BatchRowResult {
        var result = BatchRowResult(key: key, line: line, status: .failed, cached: false)
        result.runID = manifest.runID
        result.outputs = Dictionary(uniqueKeysWithValues: manifest.stages.map { ($0.id, $0.outputs) })
        switch manifest.status {
        case .ok: result.status = .ok
        case .failed: result.status = .failed
        case .cancelled: result.status = .cancelled
        }
        result.error = Self.firstError(manifest)
        return result
    }

    /// Runs `body` with a stream of its own whose events reach `events` with stage ids as `key/stage`.
    private func withRowEvents<T: Sendable>(
        key: String, events: AsyncStream<RunEvent>.Continuation?,
        _ body: (AsyncStream<RunEvent>.Continuation?) async throws -> T
    ) async throws -> T {
        guard let events else { return try await body(nil) }
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
        let forward = Task {
            for await event in stream {
                switch event {
                case .started(let id, let type): events.yield(.started(id: "\(key)/\(id)", type: type))
                case .progress(let id, let fraction): events.yield(.progress(id: "\(key)/\(id)", fraction: fraction))
                case .finished(var report):
                    report.id = "\(key)/\(report.id)"
                    events.yield(.finished(report))
                }
            }
        }
        do {
            let value = try await body(continuation)
            continuation.finish()
            await forward.value
            return value
        } catch {
            continuation.finish()
            await forward.value
            throw error
        }
    }

    /// Why a row's run did not pass: its first failed stage, else its first missed expectation.
    static func firstError(_ manifest: RunManifest) -> String? {
        if let error = manifest.error { return error }
        if let stage = manifest.stages.first(where: { $0.status == .failed }) { return stage.error }
        if let check = manifest.expect.first(where: { !$0.ok }) {
            return "expect \(check.stage) \(check.check): expected \(check.expected), got \(check.actual)"
        }
        return manifest.stages.first(where: { $0.status != .ok })?.error
    }

    private func batchRecord(at started: Date) -> BatchRecord {
        BatchRecord(
            id: plan.batchID, pipelineName: plan.pipelineName, pipelinePath: plan.pipelinePath,
            pipelineSHA256: plan.pipelineSHA256, rowsPath: plan.rows.path, rowsSHA256: plan.rowsSHA256,
            rowsTotal: plan.rowCount, startedAt: started, updatedAt: Date())
    }

    private func record(of result: BatchRowResult) throws -> BatchRowRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return BatchRowRecord(
            batchID: plan.batchID, rowKey: result.key, line: result.line, runID: result.runID,
            status: result.status.rawValue,
            outputsJSON: try result.outputs.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
            error: result.error, shard: plan.shard?.description, finishedAt: Date())
    }
}
