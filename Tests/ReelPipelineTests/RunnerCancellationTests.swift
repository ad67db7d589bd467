import Foundation
import ReelAV
import ReelPipeline
import Testing

/// Each stage throws the cancellation error of one media layer, as stitch and thumbnail work does when the
/// runner's task is cancelled under it; `progress` hears two steps first.
private struct CancelledMedia: StageExecutor {
    func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome {
        try await execute(stage, inputs: inputs, progress: { _ in })
    }

    func execute(
        _ stage: Stage, inputs: [StageOutcome], progress: @escaping @Sendable (Double) -> Void
    ) async throws -> StageOutcome {
        progress(0.5)
        progress(1)
        switch stage.id {
        case "av": throw AVError.cancelled
        case "stitch": throw StitchError.cancelled
        case "thumb": throw ThumbnailError.media(.cancelled)
        default: return StageOutcome(outputs: [StageOutput(role: "out", sha256: stage.id)])
        }
    }
}

private let stages = #"""
    { "version": 1, "name": "t", "stages": [
      { "id": "av", "type": "fetch", "path": "a.mp4" },
      { "id": "stitch", "type": "fetch", "path": "b.mp4" },
      { "id": "thumb", "type": "fetch", "path": "c.mp4" },
      { "id": "fine", "type": "fetch", "path": "d.mp4" } ] }
    """#

@Suite("pipeline runner: media cancellation and progress")
struct RunnerCancellationTests {
    @Test("media work stopped by its cancellation flag is reported cancelled, not failed")
    func mediaCancellation() async throws {
        let pipeline = try Pipeline.parse(Data(stages.utf8), file: "t.json", params: [:])
        let reports = await PipelineRunner(executor: CancelledMedia(), cache: nil, jobs: 2).run(pipeline)
        let status = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0.status) })
        #expect(status == ["av": .cancelled, "stitch": .cancelled, "thumb": .cancelled, "fine": .ok])
        #expect(reports.filter { $0.status == .cancelled }.allSatisfy { $0.error == "cancelled" })
    }

    @Test("a stage's progress reaches the events as .progress, between its start and its end")
    func progressEvents() async throws {
        let pipeline = try Pipeline.parse(Data(stages.utf8), file: "t.json", params: [:])
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
        _ = await PipelineRunner(executor: CancelledMedia(), cache: nil, jobs: 1).run(pipeline, events: continuation)
        continuation.finish()
        var seen: [String] = []
        for await event in stream {
            switch event {
            case .started(let id, _): seen.append("▶ \(id)")
            case .progress(let id, let fraction): seen.append("\(id) \(fraction)")
            case .finished(let report): seen.append("✔ \(report.id)")
            }
        }
        #expect(seen.prefix(4) == ["▶ av", "av 0.5", "av 1.0", "✔ av"])
        #expect(seen.count == 16)
    }
}
