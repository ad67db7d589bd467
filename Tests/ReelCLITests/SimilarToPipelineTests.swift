import Foundation
import ReelTestSupport
import Testing

/// A folder holding `pipeline.json`: one fetch stage of `clip`, expected similar to `golden/episode.mp4` (relative
/// to the pipeline file) with `thresholds` added to the `similar_to` object.
private func pipeline(fetching clip: String, thresholds: String = "", in folder: URL) throws -> String {
    let path = folder.appendingPathComponent("pipeline.json").path
    try Data(
        """
        { "version": 1, "name": "golden",
          "stages": [ { "id": "episode", "type": "fetch", "path": "\(clip)" } ],
          "expect": { "episode": { "similar_to": { "reference": "golden/episode.mp4"\(thresholds) } } } }
        """.utf8
    ).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("expect similar_to and goldens in pipelines", .serialized)
struct SimilarToPipelineTests {
    @Test("--update-goldens writes the reference beside the pipeline; the next run compares against it")
    func goldens() throws {
        let folder = try Fixtures.scratchDirectory()
        let library = folder.appendingPathComponent("lib").path
        let clip = try Fixtures.moving(crf: 20)
        let file = try pipeline(fetching: clip, in: folder)
        let golden = folder.appendingPathComponent("golden/episode.mp4").path

        let missing = try ReelBinary.run(["run", file, "--library", library, "--json"])
        #expect(missing.status == 1, "no golden yet: the check cannot pass")

        let update = try ReelBinary.run(["run", file, "--library", library, "--update-goldens", "--json"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: clip, andPath: golden))

        // Other bits, same pictures: passes.
        let rebuilt = try pipeline(fetching: try Fixtures.moving(crf: 20, threads: 4), in: folder)
        let same = try ReelBinary.run(["run", rebuilt, "--library", library, "--json"])
        #expect(same.status == 0, "\(same.stdout)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: same.stdoutData) as? [String: Any])
        let checks = manifest["expect"] as? [[String: Any]] ?? []
        #expect(checks.contains { $0["check"] as? String == "ssim" && $0["ok"] as? Bool == true })

        // Much worse pictures: fails, with the difference picture in the run's folder.
        let worse = try pipeline(fetching: try Fixtures.moving(crf: 51), in: folder)
        let failed = try ReelBinary.run(["run", worse, "--library", library, "--json"])
        #expect(failed.status == 1)
        let failedManifest = try #require(
            try JSONSerialization.jsonObject(with: failed.stdoutData) as? [String: Any])
        let runID = try #require(failedManifest["run_id"] as? String)
        let pictures = URL(fileURLWithPath: library).appendingPathComponent("runs/\(runID)").path
        let written = (try? FileManager.default.contentsOfDirectory(atPath: pictures)) ?? []
        #expect(written.contains { $0.hasSuffix(".difference.png") }, "\(written)")
    }

    @Test("thresholds out of range in similar_to: reel validate exits 2 naming the field")
    func validation() throws {
        let folder = try Fixtures.scratchDirectory()
        let file = try pipeline(
            fetching: try Fixtures.moving(crf: 20), thresholds: #", "ssim": 1.5, "av_offset_ms": -1"#, in: folder)
        let result = try ReelBinary.run(["validate", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("expect.episode.similar_to.ssim"), "\(result.stderr)")
        #expect(result.stderr.contains("1.5 must be from 0 to 1"))
        #expect(result.stderr.contains("expect.episode.similar_to.av_offset_ms"))
    }
}
