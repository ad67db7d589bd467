import Foundation
import ReelTestSupport
import Testing

/// A library with one run of a pipeline that fetches a clip and makes a poster of it.
private func posterRun(_ scratch: LibraryScratch) throws -> (manifest: [String: Any], clip: String) {
    let clip = try Fixtures.h264AAC()
    let pipeline = try scratch.file(
        "poster.json",
        text: """
            {"version": 1, "name": "poster", "stages": [
              {"id": "clip", "type": "fetch", "path": "\(clip)"},
              {"id": "poster", "type": "thumbnail", "input": "clip", "at": 1}]}
            """)
    let run = try scratch.reel(["run", pipeline, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    return ((try JSONSerialization.jsonObject(with: run.stdoutData)) as? [String: Any] ?? [:], pipeline)
}

private func outputID(_ manifest: [String: Any], stage: String) -> String {
    let stages = manifest["stages"] as? [[String: Any]] ?? []
    let outputs = stages.first { $0["id"] as? String == stage }?["outputs"] as? [[String: Any]] ?? []
    return outputs.first?["item_id"] as? String ?? ""
}

@Suite("what a person reads", .serialized)
struct TextViewTests {
    @Test("runs show is a readable view: run, pipeline, each stage with type, status, time, cache hit and outputs")
    func runsShow() throws {
        let scratch = try LibraryScratch()
        let (first, pipeline) = try posterRun(scratch)
        let again = try scratch.reel(["run", pipeline, "--json"])
        let second = (try JSONSerialization.jsonObject(with: again.stdoutData)) as? [String: Any] ?? [:]
        let runID = try #require(second["run_id"] as? String)
        let shown = try scratch.reel(["runs", "show", runID])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "run \(runID): ok")
        #expect(lines.contains { $0.hasPrefix("pipeline: poster (\(pipeline)") })
        #expect(lines.contains("stages:"))
        let clipLine = try #require(lines.first { $0.hasPrefix("  clip ") }, "\(shown.stdout)")
        #expect(clipLine.contains("fetch") && clipLine.contains("ok") && clipLine.hasSuffix("cached"))
        #expect(lines.contains { $0.contains("thumbnail") && $0.hasPrefix("  poster") && $0.hasSuffix("cached") })
        #expect(lines.contains { $0.contains(outputID(first, stage: "poster")) }, "outputs are listed")
        #expect((try? JSONSerialization.jsonObject(with: shown.stdoutData)) == nil, "not JSON")
        let json = try scratch.json(["runs", "show", runID])
        #expect((json as? [String: Any])?["run_id"] as? String == runID)
    }

    @Test("lineage shows what an item was made from as a tree and what was made from it as a separate list")
    func lineageSeparatesInputsFromDerived() throws {
        let scratch = try LibraryScratch()
        let (manifest, _) = try posterRun(scratch)
        let clip = outputID(manifest, stage: "clip")
        let poster = outputID(manifest, stage: "poster")
        let ofClip = try scratch.reel(["library", "lineage", clip]).stdout.split(separator: "\n").map(String.init)
        let madeFrom = try #require(ofClip.firstIndex(of: "made from:"))
        let usedBy = try #require(ofClip.firstIndex(of: "used by:"))
        #expect(madeFrom < usedBy)
        #expect(ofClip[madeFrom + 1] == "  nothing (uploaded)")
        #expect(ofClip[(usedBy + 1)...].contains { $0.hasPrefix("  [thumbnail-of] \(poster) thumbnail") }, "\(ofClip)")
        #expect(!ofClip[madeFrom..<usedBy].contains { $0.contains(poster) }, "the poster is not an input of the clip")
        let ofPoster = try scratch.reel(["library", "lineage", poster]).stdout.split(separator: "\n").map(String.init)
        let posterInputs = try #require(ofPoster.firstIndex(of: "made from:"))
        #expect(ofPoster[posterInputs + 1].hasPrefix("  └─ [thumbnail-of] \(clip) video"), "\(ofPoster)")
        #expect(ofPoster.last == "  nothing", "nothing was made from the poster")
    }

    @Test("sizes read as bytes, KB and MB, never `Zero KB`; counts agree with their number")
    func sizesAndCounts() throws {
        let scratch = try LibraryScratch()
        let file = try scratch.file("one.bin", bytes: 1500)
        _ = try scratch.reel(["library", "import", file, "--kind", "other"])
        let stats = try scratch.reel(["library", "stats"]).stdout
        #expect(!stats.contains("Zero"), "\(stats)")
        #expect(
            stats.split(separator: "\n").contains { $0.hasPrefix("saved") && $0.hasSuffix("  0 bytes") }, "\(stats)")
        #expect(stats.split(separator: "\n").contains { $0.hasPrefix("total") && $0.hasSuffix("  1.5 KB") }, "\(stats)")
        #expect(try scratch.reel(["library", "verify"]).stdout == "1 object checked, 0 problems\n")
        let gc = try scratch.reel(["library", "gc", "--unsaved-older-than", "0s"]).stdout
        #expect(gc.hasSuffix("dry run: 1 draft, 1.5 KB; run with --apply to delete them\n"), "\(gc)")
    }

    @Test("fetch --max-size says the limit in the units it was given")
    func maxSizeUnits() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        server.route("/big.mp4", HTTPTestReply.file(Data(count: 4 << 20)).chunkedEncoding())
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let decimal = try ReelBinary.run(["fetch", server.url("/big.mp4"), "--library", library, "--max-size", "2MB"])
        #expect(decimal.status == 1 && decimal.stderr.contains("passed the 2 MB limit"), "\(decimal.stderr)")
        let binary = try ReelBinary.run(["fetch", server.url("/big.mp4"), "--library", library, "--max-size", "2MiB"])
        #expect(binary.status == 1 && binary.stderr.contains("passed the 2 MiB limit"), "\(binary.stderr)")
    }
}
