import Foundation
import ReelTestSupport
import Testing

@Suite("stitch loudness: scenes brought to one EBU R128 loudness, as ffmpeg's ebur128 filter measures it")
struct StitchLoudnessTests {
    /// A 2 s 320x240 clip whose 440 Hz tone is `gain` dB off the fixture's (about -22 LUFS, peak -18 dBFS).
    private func clip(_ gain: Int, tone: Int = 440) throws -> String {
        try Fixtures.derive(
            "tone\(gain)dB-\(tone)", ext: "mp4", from: try Fixtures.h264Clip(tone: tone),
            ["-c:v", "copy", "-af", "volume=\(gain)dB", "-c:a", "aac", "-b:a", "192k"])
    }

    private func stitch(_ inputs: [String], _ flags: [String], name: String) throws -> (String, [String: Any]) {
        let out = try Fixtures.scratchDirectory().appendingPathComponent(name).path
        let result = try ReelBinary.run(
            ["stitch"] + inputs + flags + ["-o", out, "--preset", "ultrafast", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        return (out, report)
    }

    /// The loudness of each 2 s input of `path` (a margin off both ends).
    private func sections(_ path: String, count: Int) throws -> [Double] {
        try (0..<count).map { try DecodedMedia.loudness(path, from: Double($0) * 2 + 0.1, length: 1.8).integrated }
    }

    @Test("per clip: a quiet and a loud scene both come out at -16 LUFS; a clip without sound gets no gain")
    func perClip() throws {
        let (quiet, loud, mute) = (try clip(-20), try clip(12, tone: 880), try Fixtures.h264Clip(audio: false))
        let (plain, _) = try stitch([quiet, loud], ["--mode", "reencode"], name: "plain.mp4")
        let before = try sections(plain, count: 2)
        #expect(before[1] - before[0] > 25, "the scenes start \(before[1] - before[0]) LU apart")
        let (out, report) = try stitch([quiet, loud, mute], ["--loudness", "-16"], name: "per-clip.mp4")
        #expect(report["reason"] as? String == "re-encoding: loudness normalization needs the sound decoded")
        let after = try sections(out, count: 2)
        for (index, level) in after.enumerated() {
            #expect(abs(level + 16) <= 1, "input \(index + 1) is \(level) LUFS")
        }
        #expect(abs(after[1] - after[0]) <= 1, "the scenes end up \(after[1] - after[0]) LU apart")
        let whole = try DecodedMedia.loudness(out).integrated
        #expect(abs(whole + 16) <= 0.5, "the output is \(whole) LUFS")
        let adjustments = report["loudness"] as? [[String: Any]] ?? []
        #expect(adjustments.count == 3)
        guard adjustments.count == 3 else { return }
        // What Reel measured agrees with ffmpeg's meter on the inputs, and its gain is the difference to the target.
        for (index, input) in [quiet, loud].enumerated() {
            let measured = try DecodedMedia.loudness(input, length: 2)
            let entry = adjustments[index]
            #expect(entry["input"] as? Int == index + 1)
            let integrated = entry["integrated_lufs"] as? Double ?? 0
            #expect(abs(integrated - measured.integrated) <= 0.5, "input \(index + 1): \(integrated) vs \(measured)")
            #expect(abs((entry["gain_db"] as? Double ?? 0) - (-16 - integrated)) < 0.01)
            #expect(entry["limited_by_peak"] as? Bool == false)
        }
        #expect(adjustments[2]["integrated_lufs"] is NSNull && adjustments[2]["gain_db"] as? Double == 0)
    }

    @Test("a gain that would push the true peak over the ceiling is held back to it, and says so")
    func truePeakCeiling() throws {
        // About -9.8 LUFS with a true peak of -8.7 dBTP: +4.8 dB would reach -5 LUFS, but -6 dBTP allows +2.7.
        let loud = try clip(12)
        let (out, report) = try stitch([loud], ["--loudness", "-5", "--true-peak", "-6"], name: "ceiling.mp4")
        let measured = try DecodedMedia.loudness(out)
        #expect(abs(measured.truePeak + 6) <= 0.3, "true peak \(measured.truePeak) dBTP, at the ceiling")
        #expect(measured.integrated < -6.5, "held back below the target: \(measured.integrated) LUFS")
        let entry = (report["loudness"] as? [[String: Any]])?.first ?? [:]
        #expect(entry["limited_by_peak"] as? Bool == true)
    }

    @Test("--loudness-per output: one gain for the whole, the scenes keep their difference")
    func perOutput() throws {
        let (quiet, loud) = (try clip(-20), try clip(12, tone: 880))
        let (out, report) = try stitch(
            [quiet, loud], ["--loudness=-16", "--loudness-per", "output"], name: "whole.mp4")
        #expect(abs(try DecodedMedia.loudness(out).integrated + 16) <= 1)
        let levels = try sections(out, count: 2)
        #expect(levels[1] - levels[0] > 25, "the scenes stay \(levels[1] - levels[0]) LU apart")
        let adjustments = report["loudness"] as? [[String: Any]] ?? []
        #expect(adjustments.count == 1 && adjustments.first?["input"] is NSNull)
    }

    @Test(
        "a bad loudness flag is one line and exit 2 before anything is written",
        arguments: [
            (["--loudness", "-80"], "--loudness target -80.0 LUFS must be from -70 to -5 LUFS"),
            (["--loudness", "-16", "--true-peak", "2"], "--loudness true peak 2.0 dBTP must be from -9 to 0 dBTP"),
            (["--true-peak", "-1"], "--true-peak needs --loudness"),
            (["--loudness", "-16", "--loudness-per", "scene"], "--loudness-per"),
        ])
    func badFlags(_ flags: [String], _ message: String) throws {
        let out = try Fixtures.scratchDirectory().appendingPathComponent("bad.mp4").path
        let result = try ReelBinary.run(["stitch", try Fixtures.h264Clip(), "-o", out] + flags)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a pipeline's loudness object normalizes the stitch and reports the gains; bad fields exit 2 before work")
    func pipeline() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let quiet = try clip(-20)
        func run(_ loudness: String) throws -> ProcessResult {
            try ReelBinary.runPipeline(
                #"""
                { "version": 1, "name": "levelled", "stages": [
                  { "id": "scene", "type": "fetch", "path": "\#(quiet)" },
                  { "id": "ep", "type": "stitch", "video": { "preset": "ultrafast" }, "inputs": ["scene"],
                    "loudness": \#(loudness) } ] }
                """#, in: folder, library: folder.appendingPathComponent("lib").path)
        }
        let good = try run(#"{"target": -23}"#)
        #expect(good.status == 0, "\(good.stderr)")
        let stage = try PrintedManifest(good).stage("ep") ?? [:]
        let path = try #require((stage["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(abs(try DecodedMedia.loudness(path, from: 0.1, length: 1.8).integrated + 23) <= 1)
        #expect((stage["warnings"] as? [String] ?? []).contains { $0.hasPrefix("loudness input 1: ") }, "\(stage)")
        let bad = try run(#"{"target": 0}"#)
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains(#"stages[1].loudness (stage "ep"): target 0.0 LUFS must be from -70"#), "\(bad.stderr)")
        let unknown = try run(#"{"per": "scene"}"#)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("loudness.per"), "\(unknown.stderr)")
    }
}
