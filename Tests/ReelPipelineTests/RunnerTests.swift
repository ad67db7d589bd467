import Foundation
import ReelPipeline
import Testing

/// A stage executor for scheduling tests: each stage sleeps a while, optionally fails, and its output hash is
/// derived from its id and its inputs' hashes, so content changes flow downstream as they do with real media.
private actor ScriptedExecutor: StageExecutor {
    struct Span {
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
    }
    var spans: [String: Span] = [:]
    var executions: [String] = []
    let delay: Duration
    let failing: Set<String>
    var fetchedContent: [String: String]

    init(delay: Duration = .milliseconds(150), failing: Set<String> = [], fetchedContent: [String: String] = [:]) {
        self.delay = delay
        self.failing = failing
        self.fetchedContent = fetchedContent
    }

    func setContent(_ content: String, for id: String) { fetchedContent[id] = content }

    func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        executions.append(stage.id)
        try await Task.sleep(for: delay)
        spans[stage.id] = Span(start: start, end: clock.now)
        if failing.contains(stage.id) { throw StageFailure(id: stage.id) }
        let upstream = inputs.flatMap(\.outputs).compactMap(\.sha256).joined(separator: "+")
        var content = fetchedContent[stage.id] ?? "\(stage.id)(\(upstream))"
        if let stitch = stage.as(StitchStage.self) { content += "@\(stitch.options.frameRate?.description ?? "-")fps" }
        return StageOutcome(outputs: [StageOutput(role: "out", sha256: content)])
    }

    func overlap(_ a: String, _ b: String) -> Bool {
        guard let x = spans[a], let y = spans[b] else { return false }
        return x.start < y.end && y.start < x.end
    }
}

private struct StageFailure: Error, CustomStringConvertible {
    var id: String
    var description: String { "scripted failure of \(id)" }
}

/// An in-memory cache.
private actor MemoryCache: StageCache {
    var entries: [String: StageOutcome] = [:]
    func outcome(for key: String, stage: Stage) -> StageOutcome? { entries[key] }
    func record(_ outcome: StageOutcome, for key: String, stage: Stage) { entries[key] = outcome }
}

/// A cache whose first record of each stage finds its output collected meanwhile (a gc between ingest and record).
private actor CollectingCache: StageCache {
    var refused: Set<String> = []
    func outcome(for key: String, stage: Stage) -> StageOutcome? { nil }
    func record(_ outcome: StageOutcome, for key: String, stage: Stage) throws {
        if refused.insert(stage.id).inserted { throw StageError.outputCollected(stage: stage.id) }
    }
}

private func load(_ json: String, params: [String: String] = [:]) throws -> Pipeline {
    try Pipeline.parse(Data(json.utf8), file: "t.json", params: params)
}

/// a, b fetched; ab stitches them; pa probes a; poster thumbnails ab.
private let diamond = #"""
    { "version": 1, "name": "t", "params": { "fps": "30" }, "stages": [
      { "id": "a", "type": "fetch", "path": "a.mp4" },
      { "id": "b", "type": "fetch", "path": "b.mp4" },
      { "id": "ab", "type": "stitch", "inputs": ["a", "b"], "video": { "fps": "${fps}" } },
      { "id": "pa", "type": "probe", "input": "a" },
      { "id": "poster", "type": "thumbnail", "input": "ab", "at": 1 } ] }
    """#

@Suite("pipeline runner")
struct RunnerTests {
    @Test("a stage whose output was collected before it was recorded runs again and succeeds")
    func outputCollectedRunsAgain() async throws {
        let executor = ScriptedExecutor(delay: .milliseconds(1))
        let reports = await PipelineRunner(executor: executor, cache: CollectingCache(), jobs: 2).run(
            try load(diamond))
        #expect(reports.allSatisfy { $0.status == .ok }, "\(reports.map { "\($0.id): \($0.error ?? "ok")" })")
        #expect(await executor.executions.filter { $0 == "a" }.count == 2)
    }

    @Test("independent stages run at the same time")
    func concurrency() async throws {
        let executor = ScriptedExecutor()
        let reports = await PipelineRunner(executor: executor, cache: nil, jobs: 4).run(try load(diamond))
        #expect(reports.allSatisfy { $0.status == .ok })
        #expect(await executor.overlap("a", "b"))
        #expect(await executor.overlap("ab", "pa"))
    }

    @Test("--jobs 1 runs one stage at a time, dependencies first")
    func serial() async throws {
        let executor = ScriptedExecutor(delay: .milliseconds(30))
        _ = await PipelineRunner(executor: executor, cache: nil, jobs: 1).run(try load(diamond))
        let ids = ["a", "b", "ab", "pa", "poster"]
        for (i, first) in ids.enumerated() {
            for second in ids[(i + 1)...] {
                #expect(await !executor.overlap(first, second), "\(first) and \(second) overlapped")
            }
        }
        let order = await executor.executions
        #expect(order.firstIndex(of: "ab")! > order.firstIndex(of: "b")!)
        #expect(order.firstIndex(of: "poster")! > order.firstIndex(of: "ab")!)
    }

    @Test("a failed stage skips what reads it; an independent branch still finishes")
    func failureIsolation() async throws {
        let executor = ScriptedExecutor(delay: .milliseconds(20), failing: ["b"])
        let reports = await PipelineRunner(executor: executor, cache: nil, jobs: 2).run(try load(diamond))
        let status = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0.status) })
        #expect(status == ["a": .ok, "b": .failed, "ab": .skipped, "pa": .ok, "poster": .skipped])
        #expect(reports.first { $0.id == "b" }?.error == #"fetch "b": scripted failure of b"#)
        #expect(reports.first { $0.id == "ab" }?.error == #"input stage "b" did not finish"#)
        #expect(await !executor.executions.contains("ab"))
    }

    @Test("cache: an unchanged re-run does no work; a changed param re-runs only what depends on it")
    func cacheMatrix() async throws {
        let cache = MemoryCache()
        let first = ScriptedExecutor(delay: .zero)
        let cold = await PipelineRunner(executor: first, cache: cache, jobs: 2).run(try load(diamond))
        #expect(cold.allSatisfy { !$0.cacheHit })
        #expect(await first.executions.count == 5)

        let second = ScriptedExecutor(delay: .zero)
        let warm = await PipelineRunner(executor: second, cache: cache, jobs: 2).run(try load(diamond))
        #expect(warm.allSatisfy { $0.cacheHit && $0.status == .ok })
        #expect(await second.executions.isEmpty)
        #expect(warm.map(\.outputs) == cold.map(\.outputs))

        let third = ScriptedExecutor(delay: .zero)
        _ = await PipelineRunner(executor: third, cache: cache, jobs: 2).run(try load(diamond, params: ["fps": "25"]))
        #expect(await Set(third.executions) == ["ab", "poster"])

        let fourth = ScriptedExecutor(delay: .zero)
        _ = await PipelineRunner(executor: fourth, cache: nil, jobs: 2).run(try load(diamond))
        #expect(await fourth.executions.count == 5, "no cache (--no-cache) runs everything")
    }

    @Test("cache: changed input content re-runs the stages downstream of it")
    func cacheContent() async throws {
        let cache = MemoryCache()
        let pipeline = try load(diamond)
        _ = await PipelineRunner(executor: ScriptedExecutor(delay: .zero), cache: cache, jobs: 2).run(pipeline)
        // The fetch of "a" is forced to run again (as a changed source file would) and yields new content.
        let changed = ScriptedExecutor(delay: .zero, fetchedContent: ["a": "new-a"])
        let reports = await PipelineRunner(
            executor: KeyedBy(changed, material: ["a": "mtime=2"]), cache: cache, jobs: 2
        )
        .run(pipeline)
        #expect(await Set(changed.executions) == ["a", "ab", "pa", "poster"])
        #expect(reports.first { $0.id == "b" }?.cacheHit == true)
    }

    @Test("cancelling the run reports unfinished stages as cancelled")
    func cancellation() async throws {
        let executor = ScriptedExecutor(delay: .seconds(5))
        let pipeline = try load(diamond)
        let task = Task { await PipelineRunner(executor: executor, cache: nil, jobs: 2).run(pipeline) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let reports = await task.value
        #expect(reports.allSatisfy { $0.status == .cancelled })
        #expect(await !executor.executions.contains("ab"))
    }

    @Test("events report each stage starting and finishing")
    func events() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
        _ = await PipelineRunner(executor: ScriptedExecutor(delay: .zero), cache: nil, jobs: 2)
            .run(try load(diamond), events: continuation)
        continuation.finish()
        var started: [String] = []
        var finished: [String] = []
        for await event in stream {
            switch event {
            case .started(let id, _): started.append(id)
            case .finished(let report): finished.append(report.id)
            case .progress: break
            }
        }
        #expect(Set(started) == ["a", "b", "ab", "pa", "poster"])
        #expect(Set(finished) == Set(started))
    }
}

/// Wraps an executor, adding per-stage cache key material.
private struct KeyedBy: StageExecutor {
    let inner: ScriptedExecutor
    let material: [String: String]
    init(_ inner: ScriptedExecutor, material: [String: String]) {
        self.inner = inner
        self.material = material
    }
    func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome {
        try await inner.execute(stage, inputs: inputs)
    }
    func cacheKeyMaterial(for stage: Stage) async -> [String] { material[stage.id].map { [$0] } ?? [] }
}
