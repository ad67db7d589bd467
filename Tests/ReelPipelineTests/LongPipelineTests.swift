import Foundation
import ReelPipeline
import Testing

/// A fetch `s0` followed by `count - 1` stitches, each reading the one before: the longest chain a pipeline can
/// have. The file lists the last stage first, so a search from the first stage in the file walks the whole chain.
private func chain(_ count: Int, closingCycle: Bool = false) -> String {
    var stages = [
        closingCycle
            ? #"{ "id": "s0", "type": "stitch", "inputs": ["s\#(count - 1)"] }"#
            : #"{ "id": "s0", "type": "fetch", "path": "a.mp4" }"#
    ]
    for index in 1..<count { stages.append(#"{ "id": "s\#(index)", "type": "stitch", "inputs": ["s\#(index - 1)"] }"#) }
    return #"{ "version": 1, "name": "long", "stages": [ "# + stages.reversed().joined(separator: ",\n") + " ] }"
}

/// Each stage passes on one output whose hash names the stage and what it read; it records the order stages ran in.
private actor EchoExecutor: StageExecutor {
    var executions: [String] = []

    func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome {
        executions.append(stage.id)
        let upstream = inputs.flatMap(\.outputs).compactMap(\.sha256).first ?? ""
        return StageOutcome(outputs: [StageOutput(role: "out", sha256: "\(stage.id)<\(upstream.prefix(12))")])
    }
}

@Suite("pipelines of 10,000 stages")
struct LongPipelineTests {
    @Test("a 10,000-stage chain validates (the cycle search keeps its own stack, not the call stack)")
    func longChainValidates() throws {
        let pipeline = try Pipeline.parse(Data(chain(10_000).utf8), file: "long.json")
        #expect(pipeline.stages.count == 10_000)
        #expect(pipeline.stages.first?.inputs == ["s9998"])
    }

    @Test("a cycle through all 10,000 stages is found and spelled out in order")
    func longCycle() throws {
        do {
            _ = try Pipeline.parse(Data(chain(10_000, closingCycle: true).utf8), file: "long.json")
            Issue.record("a cycle must not validate")
        } catch let error as PipelineValidationError {
            #expect(error.problems.count == 1)
            let message = try #require(error.problems.first?.message)
            let ids = message.dropFirst("cycle: ".count).components(separatedBy: " → ")
            #expect(ids.count == 10_001 && ids.first == ids.last)
            // Each id along the cycle is read by the next one.
            let position = Dictionary(uniqueKeysWithValues: (0..<10_000).map { ("s\($0)", $0) })
            for (reader, read) in zip(ids.dropFirst(), ids) {
                #expect(position[reader].map { ($0 + 9_999) % 10_000 } == position[read])
            }
        }
    }

    @Test("a 10,000-stage chain runs to its end, each stage after the one it reads, with what that one made")
    func longChainRuns() async throws {
        let pipeline = try Pipeline.parse(Data(chain(10_000).utf8), file: "long.json")
        let executor = EchoExecutor()
        let reports = await PipelineRunner(executor: executor, cache: nil, jobs: 4).run(pipeline)
        #expect(reports.count == 10_000 && reports.allSatisfy { $0.status == .ok })
        #expect(await executor.executions == (0..<10_000).map { "s\($0)" })
        #expect(reports.first?.outputs.first?.sha256 == "s9999<s9998<s9997<")
    }

    @Test("10,000 stages reading one stage all run once, and a failure there skips every one of them")
    func wideFanOut() async throws {
        var stages = [#"{ "id": "clip", "type": "fetch", "path": "a.mp4" }"#]
        stages += (0..<9_999).map { #"{ "id": "p\#($0)", "type": "probe", "input": "clip" }"# }
        let json = #"{ "version": 1, "name": "wide", "stages": [ "# + stages.joined(separator: ",") + " ] }"
        let pipeline = try Pipeline.parse(Data(json.utf8), file: "wide.json")
        let executor = EchoExecutor()
        let reports = await PipelineRunner(executor: executor, cache: nil, jobs: 2).run(pipeline)
        #expect(reports.allSatisfy { $0.status == .ok })
        #expect(await Set(executor.executions).count == 10_000)

        let failing = await PipelineRunner(executor: FailingFetch(), cache: nil, jobs: 2).run(pipeline)
        #expect(failing.first?.status == .failed)
        #expect(
            failing.dropFirst().allSatisfy {
                $0.status == .skipped && $0.error == #"input stage "clip" did not finish"#
            })
    }
}

/// Fails every fetch; anything else would succeed.
private struct FailingFetch: StageExecutor {
    struct Failure: Error {}
    func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome {
        if stage.type == .fetch { throw Failure() }
        return StageOutcome(outputs: [])
    }
}
