import Foundation
import ReelTestSupport
import Testing

@Suite("stitch trims: in and out per input, frame-exact when re-encoding, copied when cut on keyframes")
struct StitchTrimTests {
    /// Runs `reel stitch` with `arguments` into a new file; returns the output path and the JSON report.
    private func stitch(_ arguments: [String], in folder: URL) throws -> (path: String, report: [String: Any]) {
        let out = folder.appendingPathComponent("out-\(UUID().uuidString).mp4").path
        let result = try ReelBinary.run(["stitch"] + arguments + ["-o", out, "--preset", "ultrafast", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return (out, try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:])
    }

    private func seconds(_ stream: String, _ path: String) throws -> Double {
        Double(
            try Shell.run(
                "ffprobe",
                ["-v", "error", "-select_streams", stream, "-show_entries", "stream=duration", "-of", "csv=p=0", path]
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("re-encoding keeps exactly the frames asked for, in seconds, HH:MM:SS.mmm and frame counts")
    func reencodeIsFrameExact() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        let (out, report) = try stitch(
            [clip, clip, "--trim", "1=0.6-00:00:01.500", "--trim", "2=10f-41f", "--mode", "reencode"], in: folder)
        #expect(report["mode"] as? String == "reencode")
        #expect(try Fixtures.frameNumbers(out) == Array(18..<45) + Array(10..<41))
        #expect(abs(try seconds("v", out) - 58.0 / 30) < 0.001)
        #expect(abs(try seconds("a", out) - 58.0 / 30) < 1024.0 / 48000, "audio ends with the video")
        let inputs = report["inputs"] as? [[String: Any]] ?? []
        #expect(inputs.map { $0["duration"] as? Double ?? -1 }.map { ($0 * 30).rounded() } == [27, 31])
    }

    @Test("a cut on keyframes is copied: the same frames, no re-encode")
    func keyframeCutIsCopied() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()  // keyframes every 15 frames: 0.5 s
        let (out, report) = try stitch([clip, clip, "--trim", "1=0.5-1.5", "--trim", "2=15f-"], in: folder)
        #expect(report["mode"] as? String == "copy", "\(report)")
        #expect(try Fixtures.frameNumbers(out) == Array(15..<45) + Array(15..<60))
        #expect(abs(try seconds("a", out) - 75.0 / 30) < 1024.0 / 48000, "audio ends with the video")
        let decode = try Shell.run("ffmpeg", ["-v", "error", "-i", out, "-f", "null", "-"])
        #expect(decode.stderr.isEmpty, "\(decode.stderr)")
    }

    @Test("an MPEG-TS starting at 10 s, cut on keyframes, is copied from the asked frames")
    func transportStreamCutIsCopied() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.derive(
            "numbered-ts", ext: "ts", from: try Fixtures.numberedFrames(), ["-c", "copy", "-output_ts_offset", "10"])
        let (out, report) = try stitch([clip, clip, "--trim", "1=1.0-1.5", "--trim", "2=0.5-"], in: folder)
        #expect(report["mode"] as? String == "copy", "\(report)")
        #expect(try Fixtures.frameNumbers(out) == Array(30..<45) + Array(15..<60))
        #expect(abs(try seconds("v", out) - 60.0 / 30) < 0.001)
    }

    @Test("a cut off a keyframe makes auto re-encode, naming the input, the time and the nearest keyframes")
    func offKeyframeReencodes() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        let (out, report) = try stitch([clip, "--trim", "1=0.6-"], in: folder)
        let name = (clip as NSString).lastPathComponent
        #expect(
            report["reason"] as? String
                == "re-encoding: \(name) starts at 0.6 s, not on a keyframe (nearest 0.5 s, 1.0 s)")
        #expect(try Fixtures.frameNumbers(out) == Array(18..<60))
        let copy = try ReelBinary.run(
            [
                "stitch", clip, "--trim", "1=0.5-1.2", "--mode", "copy", "-o",
                folder.appendingPathComponent("c.mp4").path,
            ])
        #expect(copy.status == 1)
        #expect(copy.stderr.contains("ends at 1.2 s, not on a keyframe (nearest 1.0 s, 1.5 s)"), "\(copy.stderr)")
    }

    @Test(
        "--dry-run prints the timeline the stitch then writes, and writes nothing",
        arguments: [["--trim", "1=0.6-1.5", "--trim", "2=10f-"], ["--trim", "1=0.5-1.5", "--trim", "2=-1.0"]])
    func dryRun(_ trims: [String]) throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        let out = folder.appendingPathComponent("dry.mp4").path
        let dry = try ReelBinary.run(["stitch", clip, clip] + trims + ["-o", out, "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let plan = try JSONSerialization.jsonObject(with: dry.stdoutData) as? [String: Any] ?? [:]
        let (written, report) = try stitch([clip, clip] + trims, in: folder)
        #expect(plan["mode"] as? String == report["mode"] as? String)
        #expect(plan["reason"] as? String == report["reason"] as? String)
        let planned = try #require(plan["duration"] as? Double)
        #expect(abs(planned - (try seconds("v", written))) < 0.001, "planned \(planned) s")
        let inputs = (plan["inputs"] as? [[String: Any]] ?? []).map { $0["offset"] as? Double ?? -1 }
        #expect(inputs.count == 2 && inputs[0] == 0)
        let numbers = try Fixtures.frameNumbers(written)
        let boundary = try #require(zip(numbers, numbers.dropFirst()).enumerated().first { $1.1 < $1.0 }?.offset)
        #expect(abs(inputs[1] * 30 - Double(boundary + 1)) < 0.01, "second input at frame \(boundary + 1)")
    }

    @Test(
        "bad trims are exit 2 before any work, nothing written",
        arguments: [
            (["--trim", "1=3-1"], "out (1.0 s) must be after in (3.0 s)"),
            (["--trim", "1=5-"], "in (5.0 s) is past its end (2.0 s long)"),
            (["--trim", "1=-90f"], "out (frame 90) is past its end"),
            (["--trim", "2=1-"], "there is no input 2"),
            (["--trim", "1=1.5"], "not N=IN-OUT"),
            (["--trim", "1=1-2", "--trim", "1=0-1"], "input 1 is trimmed twice"),
        ])
    func badTrims(_ flags: [String], _ message: String) throws {
        try expectStitchRefused([try Fixtures.numberedFrames()], flags, message: message)
    }

    @Test("a pipeline's stitch inputs take {stage, in, out}; a bad trim is exit 2 naming the input")
    func pipelineTrims() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        func pipeline(_ inputs: String) throws -> String {
            let file = folder.appendingPathComponent("p-\(UUID().uuidString).json")
            try Data(
                #"""
                { "version": 1, "name": "trims", "stages": [
                  { "id": "clip", "type": "fetch", "path": "\#(clip)" },
                  { "id": "ep", "type": "stitch", "mode": "reencode", "video": { "preset": "ultrafast" },
                    "inputs": \#(inputs) } ] }
                """#.utf8
            ).write(to: file)
            return file.path
        }
        let library = folder.appendingPathComponent("lib").path
        let good = try ReelBinary.run(
            [
                "run", try pipeline(#"[{ "stage": "clip", "in": "00:00:00.500", "out": "30f" }, "clip"]"#),
                "--library", library, "--json",
            ])
        #expect(good.status == 0, "\(good.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: good.stdoutData) as? [String: Any] ?? [:]
        let stage = (manifest["stages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "ep" }
        let path = try #require((stage?["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(try Fixtures.frameNumbers(path) == Array(15..<30) + Array(0..<60))
        for (inputs, expected) in [
            (#"[{ "stage": "clip", "in": 2, "out": 1 }]"#, "stages[1].inputs (stage \"ep\"): input 1: out (1.0 s)"),
            (#"[{ "stage": "clip", "in": "soon" }]"#, "stages[1].inputs[0].in (stage \"ep\"): soon: not seconds"),
            (#"[{ "stage": "clip", "start": 1 }]"#, "stages[1].inputs[0].start (stage \"ep\"): unknown field"),
            (#"[{ "in": 1 }]"#, "stages[1].inputs[0] (stage \"ep\"): missing required field \"stage\""),
        ] {
            let bad = try ReelBinary.run(["validate", try pipeline(inputs)])
            #expect(bad.status == 2, "\(inputs): \(bad.stderr)")
            #expect(bad.stderr.contains(expected), "\(bad.stderr)")
        }
    }
}
