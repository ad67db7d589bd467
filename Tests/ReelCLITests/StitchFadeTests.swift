import Foundation
import ReelTestSupport
import Testing

@Suite("stitch fades: from black at the start, to black and silence at the end, video and audio together")
struct StitchFadeTests {

    @Test("--fade 0.5:0.5: the first and last frames are black, the ramp is straight, audio follows it")
    func fadeInAndOut() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()  // frame N at luma 16 + 3N, 60 frames
        let out = folder.appendingPathComponent("faded.mp4").path
        let result = try ReelBinary.run(
            ["stitch", clip, "--fade", "0.5:0.5", "-o", out, "--preset", "ultrafast", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        #expect(report["reason"] as? String == "re-encoding: a fade needs every picture decoded")
        let luma = try Shell.run(
            "ffprobe",
            [
                "-v", "error", "-f", "lavfi", "-i", "movie='\(out)',signalstats", "-show_entries",
                "frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0",
            ]
        ).stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(luma.count == 60)
        for (frame, measured) in luma.enumerated() {
            // 15 frames each way at 30 fps: from black (luma 16) on frame 0, back to black on frame 59.
            let gain = min(1, Double(frame) / 15, Double(59 - frame) / 15)
            let expected = 16 + 3 * Double(frame) * gain
            #expect(abs(measured - expected) <= 1.5, "frame \(frame): luma \(measured), expected \(expected)")
        }
        let full = try DecodedMedia.rmsLevel(out, from: 0.9, to: 1.1)
        #expect(
            abs(try DecodedMedia.rmsLevel(out, from: 0.24, to: 0.26) - (full - 6.02)) < 1,
            "half way in: half the amplitude")
        #expect(try DecodedMedia.rmsLevel(out, from: 0, to: 0.01) < full - 25, "silent at the start")
        #expect(try DecodedMedia.rmsLevel(out, from: 1.99, to: 2.0) < full - 25, "silent at the end")
    }

    @Test(
        "bad fades are refused before any work, nothing written",
        arguments: [
            (["--fade", "1.5:1"], 2, "fade: in 1.5 s + out 1.0 s is longer than the output (2.0 s)"),
            (["--fade", "soon"], 2, "--fade soon: not IN:OUT"),
            (["--fade=-1:0"], 2, "--fade in -1.0 s and out 0.0 s must be seconds, 0 or more"),
            (["--fade", "0:0"], 2, "--fade give a fade in or a fade out"),
            (["--fade", "0.5:", "--mode", "copy"], 1, "cannot copy: a fade needs every picture decoded"),
        ])
    func badFades(_ flags: [String], _ status: Int32, _ message: String) throws {
        try expectStitchRefused([try Fixtures.numberedFrames()], flags, status: status, message: message)
    }

    @Test("a pipeline's stitch takes fade {in, out}; a negative one is exit 2 naming the field")
    func pipelineFade() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        func pipeline(_ fade: String) throws -> String {
            let file = folder.appendingPathComponent("p-\(UUID().uuidString).json")
            try Data(
                #"""
                { "version": 1, "name": "fades", "stages": [
                  { "id": "clip", "type": "fetch", "path": "\#(clip)" },
                  { "id": "ep", "type": "stitch", "inputs": ["clip"], "video": { "preset": "ultrafast" },
                    "fade": \#(fade) } ] }
                """#.utf8
            ).write(to: file)
            return file.path
        }
        let good = try ReelBinary.run(
            ["run", try pipeline(#"{ "out": 1 }"#), "--library", folder.appendingPathComponent("lib").path, "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: good.stdoutData) as? [String: Any] ?? [:]
        let stage = (manifest["stages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "ep" }
        let path = try #require((stage?["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(try Fixtures.frameNumbers(path).prefix(30) == ArraySlice(0..<30), "no fade in: untouched")
        let bad = try ReelBinary.run(["validate", try pipeline(#"{ "in": -1 }"#)])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(#"stages[1].fade (stage "ep"): in -1.0 s and out 0.0 s"#), "\(bad.stderr)")
    }
}
