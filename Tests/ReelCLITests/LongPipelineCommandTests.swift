import Foundation
import ReelTestSupport
import Testing

/// Pipelines of 10,000 stages through the built binary: validation must not overflow the stack, a run must finish.
@Suite("reel validate and reel run: 10,000 stages", .serialized)
struct LongPipelineCommandTests {
    @Test("a 10,000-stage chain written last stage first validates (exit 0), and a cycle closing it is named")
    func longChain() throws {
        let folder = try Fixtures.scratchDirectory()
        // The first stage's input is a clip (validation checks local inputs and plans a stitch of them); nothing
        // is run.
        try FileManager.default.copyItem(
            atPath: try Fixtures.h264AAC(), toPath: folder.appendingPathComponent("a.mp4").path)
        func chain(closed: Bool) throws -> String {
            var stages = [
                closed
                    ? #"{ "id": "s0", "type": "stitch", "inputs": ["s9999"] }"#
                    : #"{ "id": "s0", "type": "fetch", "path": "a.mp4" }"#
            ]
            stages += (1..<10_000).map { #"{ "id": "s\#($0)", "type": "stitch", "inputs": ["s\#($0 - 1)"] }"# }
            let path = folder.appendingPathComponent(closed ? "cycle.json" : "chain.json").path
            let json = #"{ "version": 1, "name": "chain", "stages": [ "# + stages.reversed().joined(separator: ",\n")
            try Data((json + " ] }").utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let valid = try ReelBinary.run(["validate", try chain(closed: false)])
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.hasPrefix("\(folder.path)/chain.json: ok, 10000 stages\n"))
        let cycle = try ReelBinary.run(["validate", try chain(closed: true)])
        #expect(cycle.status == 2)
        #expect(cycle.stderr.hasPrefix("reel: \(folder.path)/cycle.json: stages (stage \"s9999\"): cycle: s9999 → s0"))
    }

    @Test("10,000 probe stages of one clip run to the end: exit 0, every stage recorded ok")
    func manyProbes() throws {
        let folder = try Fixtures.scratchDirectory()
        let library = folder.appendingPathComponent("lib").path
        let clip = try Fixtures.h264AAC()
        var stages = [#"{ "id": "clip", "type": "fetch", "path": "\#(clip)" }"#]
        stages += (1..<10_000).map { #"{ "id": "p\#($0)", "type": "probe", "input": "clip" }"# }
        let pipeline = folder.appendingPathComponent("probes.json").path
        let json = #"{ "version": 1, "name": "probes", "stages": [ "# + stages.joined(separator: ",\n") + " ] }"
        try Data(json.utf8).write(to: URL(fileURLWithPath: pipeline))
        let result = try ReelBinary.run(["run", pipeline, "--library", library])
        #expect(result.status == 0, "\(result.stderr.suffix(500))")
        let counted = try Shell.run(
            "sqlite3", [library + "/catalog.sqlite", "SELECT status, count(*) FROM run_stages GROUP BY status"])
        #expect(counted.stdout == "ok|10000\n")
    }
}
