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
        let png = try #require(written.first { $0.hasSuffix(".difference.png") }, "\(written)")
        let svg = try #require(written.first { $0.hasSuffix(".ssim.svg") }, "\(written)")
        let failedChecks = (failedManifest["expect"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
        let ssim = try #require(failedChecks.first { $0["check"] as? String == "ssim" })
        let message = ssim["actual"] as? String ?? ""
        #expect(message.contains("\(pictures)/\(png)") && message.contains("\(pictures)/\(svg)"), "\(message)")
        // reference | output | heatmap, each the clip's size, with a caption strip under them.
        let clipStream = try #require(try FFprobeReport.of(clip).streams.first { $0.codecType == "video" })
        let stream = try #require(try FFprobeReport.of("\(pictures)/\(png)").streams.first)
        #expect(stream.width == 3 * (clipStream.width ?? 0))
        #expect((stream.height ?? 0) > (clipStream.height ?? 0))
        let plot = try String(contentsOfFile: "\(pictures)/\(svg)", encoding: .utf8)
        #expect(plot.hasPrefix("<svg") && plot.contains("<polyline"))
    }

    @Test("thresholds out of range in similar_to: reel validate exits 2 naming the field")
    func validation() throws {
        let folder = try Fixtures.scratchDirectory()
        let file = try pipeline(
            fetching: try Fixtures.moving(crf: 20),
            thresholds: #", "ssim": 1.5, "av_offset_ms": -1, "audio_difference_db": 3"#,
            in: folder)
        let result = try ReelBinary.run(["validate", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("expect.episode.similar_to.ssim"), "\(result.stderr)")
        #expect(result.stderr.contains("1.5 must be from 0 to 1"))
        #expect(result.stderr.contains("expect.episode.similar_to.av_offset_ms"))
        #expect(result.stderr.contains("expect.episode.similar_to.audio_difference_db"))
        #expect(result.stderr.contains("3 must be from -100 to 0 dB"))
    }
}
