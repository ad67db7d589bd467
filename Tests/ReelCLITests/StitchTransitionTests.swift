import Foundation
import ReelTestSupport
import Testing

@Suite("stitch transitions: inputs overlap, pictures blend, sound crossfades, everything stays in sync")
struct StitchTransitionTests {
    /// Two 2 s 320x240 30 fps clips whose pictures and tones differ.
    private func pair() throws -> (String, String) {
        (
            try Fixtures.h264Clip(source: "testsrc2", tone: 440),
            try Fixtures.h264Clip(source: "smptebars", tone: 880)
        )
    }

    private func stitch(_ inputs: [String], _ flags: [String], name: String) throws -> String {
        let out = try Fixtures.scratchDirectory().appendingPathComponent(name).path
        let result = try ReelBinary.run(
            ["stitch"] + inputs + flags + ["-o", out, "--preset", "ultrafast", "--crf", "10"])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    @Test("a 1 s crossfade: the middle frame is the 50/50 blend of the two inputs, the output 1 s shorter")
    func crossfade() throws {
        let (a, b) = try pair()
        let out = try stitch([a, b], ["--transition", "crossfade:1"], name: "crossfade.mp4")
        let (first, second, output) = (
            try DecodedMedia.yuvFrames(a), try DecodedMedia.yuvFrames(b), try DecodedMedia.yuvFrames(out)
        )
        #expect(output.count == 90, "60 + 60 frames less the 30 they share")
        let video = try #require(try FFprobeReport.of(out).streams.first { $0.codecType == "video" })
        #expect(abs((Double(video.duration ?? "") ?? 0) - 3.0) < 0.001)
        guard output.count == 90, first.count == 60, second.count == 60 else { return }
        // The overlap is output frames 30-59: the first input's frames 30-59 under the second's 0-29.
        let blend = zip(first[45], second[15]).map { UInt8((Int($0) + Int($1) + 1) / 2) }
        #expect(DecodedMedia.psnr(output[45], blend) >= 35, "the middle frame is the 50/50 blend")
        #expect(DecodedMedia.psnr(output[45], first[45]) < 25, "not the first input alone")
        #expect(DecodedMedia.psnr(output[45], second[15]) < 25, "not the second input alone")
        #expect(DecodedMedia.psnr(output[20], first[20]) >= 35, "before the overlap: the first input")
        #expect(DecodedMedia.psnr(output[75], second[45]) >= 35, "after the overlap: the second input")
        // Equal power: two unrelated tones at one level keep that level through the crossfade (a straight-line
        // crossfade would dip 3 dB in the middle).
        let level = try DecodedMedia.rmsLevel(out, from: 0.4, to: 0.6)
        for start in stride(from: 1.0, to: 2.0, by: 0.1) {
            let measured = try DecodedMedia.rmsLevel(out, from: start, to: start + 0.1)
            #expect(abs(measured - level) < 1, "\(start) s: \(measured) dB against \(level) dB")
        }
        #expect(abs(try DecodedMedia.rmsLevel(out, from: 2.4, to: 2.6) - level) < 1)
    }

    @Test(
        "half way through, each style shows what it should",
        arguments: [
            // style, and for the left and right halves of the middle frame: which input (0 first, 1 second) and
            // the column of that input's frame the half starts at.
            ("wipe-left", (0, 0), (1, 160)),
            ("wipe-right", (1, 0), (0, 160)),
            ("slide-left", (0, 160), (1, 0)),
            ("slide-right", (1, 160), (0, 0)),
        ])
    func wipesAndSlides(_ style: String, _ left: (Int, Int), _ right: (Int, Int)) throws {
        let (a, b) = try pair()
        let out = try stitch([a, b], ["--transition", "\(style):1"], name: "\(style).mp4")
        let sources = [try DecodedMedia.yuvFrames(a), try DecodedMedia.yuvFrames(b)]
        let output = try DecodedMedia.yuvFrames(out)
        guard output.count == 90 else {
            Issue.record("\(output.count) frames, not 90")
            return
        }
        let middle = output[45]
        for (half, (input, start)) in [(0, left), (1, right)] {
            let frame = sources[input][input == 0 ? 45 : 15]
            // The half of the output against the same-size part of the input frame it should come from.
            let shifted = (0..<240).flatMap { y in
                (0..<320).map { x in frame[y * 320 + max(0, min(319, x - half * 160 + start))] }
            }
            #expect(
                DecodedMedia.psnr(middle, shifted, columns: (half * 160 + 4)..<(half * 160 + 156)) >= 35,
                "\(style): the \(half == 0 ? "left" : "right") half shows input \(input + 1) from column \(start)")
        }
    }

    @Test("fade-black: black in the middle of the overlap, silent too")
    func fadeBlack() throws {
        let (a, b) = try pair()
        let out = try stitch([a, b], ["--transition", "fade-black:1"], name: "fade-black.mp4")
        let output = try DecodedMedia.yuvFrames(out)
        #expect(output.count == 90)
        guard output.count == 90 else { return }
        let luma = output[45].prefix(320 * 240)
        #expect(luma.allSatisfy { $0 <= 20 }, "the middle frame is black")
        #expect(
            try DecodedMedia.rmsLevel(out, from: 1.48, to: 1.52) < (try DecodedMedia.rmsLevel(out, from: 0.4, to: 0.6))
                - 20,
            "and silent")
    }

    @Test("a flash and beep after a transition still line up, each where the timeline says")
    func markersAfterTransition() throws {
        let first = try Fixtures.flashBeep(size: "640x360", rate: "24")
        let second = try Fixtures.flashBeep(size: "320x240", rate: "30", audioRate: 44100, channels: 1)
        let out = try stitch(
            [first, second, first], ["--transition", "crossfade:0.25", "--transition", "3=slide-left:0.5"],
            name: "markers.mp4")
        // 24 fps: inputs at 0, 1.75 and 3.25 s; each flash and beep 0.5 s into its input.
        let frames = try DecodedMedia.lumaFrames(out)
        let samples = try DecodedMedia.monoSamples(out)
        #expect(frames.count == 24 * 2 * 3 - 6 - 12)
        func flashOnsets() -> [Double] {
            let bright = frames.map { frame in Double(frame.reduce(0) { $0 + Int($1) }) / Double(frame.count) > 128 }
            return bright.indices.filter { bright[$0] && ($0 == 0 || !bright[$0 - 1]) }.map { Double($0) / 24 }
        }
        func beepOnsets() -> [Double] {
            let loud = samples.map { abs(Int($0)) > 8000 }
            var onsets: [Int] = []
            for index in loud.indices where loud[index] {
                if let last = onsets.last, index - last < 4800 { continue }
                onsets.append(index)
            }
            return onsets.map { Double($0) / 48000 }
        }
        let expected = [0.5, 2.25, 3.75]
        let flashes = flashOnsets()
        let beeps = beepOnsets()
        #expect(flashes.count == 3 && beeps.count == 3, "flashes \(flashes), beeps \(beeps)")
        for (index, time) in expected.enumerated() where index < flashes.count && index < beeps.count {
            #expect(abs(flashes[index] - time) <= 1.0 / 24 + 1e-6, "flash \(index + 1) at \(flashes[index]) s")
            #expect(abs(beeps[index] - flashes[index]) <= 1024.0 / 48000, "beep \(index + 1) at \(beeps[index]) s")
        }
    }

    @Test("--dry-run --json shows each transition and the offsets it moves")
    func dryRun() throws {
        let (a, b) = try pair()
        let out = try Fixtures.scratchDirectory().appendingPathComponent("plan.mp4").path
        let result = try ReelBinary.run(
            [
                "stitch", a, b, a, "--transition", "crossfade:1", "--transition", "3=cut", "--dry-run", "--json", "-o",
                out,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        let inputs = plan["inputs"] as? [[String: Any]] ?? []
        #expect(inputs.map { $0["offset"] as? Double } == [0, 1, 3])
        #expect(inputs.first?["transition"] is NSNull)
        let crossfade = inputs.count > 1 ? inputs[1]["transition"] as? [String: Any] : nil
        #expect(crossfade?["style"] as? String == "crossfade" && crossfade?["overlap"] as? Double == 1)
        #expect(plan["duration"] as? Double == 5)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(
        "bad transitions are refused before any work, nothing written",
        arguments: [
            (
                ["--transition", "crossfade:2.5"], 2,
                "lasts 2.0 s, less than the crossfade of 2.5 s out of it"
            ),
            (
                ["--transition", "crossfade:1.1", "--transition", "3=crossfade:1"], 2,
                "less than the crossfade of 1.1 s into it and the crossfade of 1.0 s out of it"
            ),
            (["--transition", "blur:1"], 2, "--transition blur:1: not [N=]STYLE:SECONDS"),
            (["--transition", "crossfade:0"], 2, "--transition crossfade: 0.0 s must be more than 0 and at most 60 s"),
            (["--transition", "1=crossfade:1"], 2, "--transition 1=crossfade:1: a transition goes into input 2 to 3"),
            (["--transition", "4=crossfade:1"], 2, "--transition 4=crossfade:1: a transition goes into input 2 to 3"),
            (
                ["--transition", "crossfade:1", "--mode", "copy"], 1,
                "a transition into input 2 needs every picture decoded"
            ),
        ])
    func badTransitions(_ flags: [String], _ status: Int32, _ message: String) throws {
        let (a, b) = try pair()
        try expectStitchRefused([a, b, a], flags, status: status, message: message)
    }

    @Test("a pipeline's stitch takes transition, per input too; reel validate refuses one longer than an input")
    func pipelineTransitions() throws {
        let folder = try Fixtures.scratchDirectory()
        let (a, b) = try pair()
        func pipeline(_ inputs: String) throws -> String {
            let file = folder.appendingPathComponent("p-\(UUID().uuidString).json")
            try Data(
                #"""
                { "version": 1, "name": "transitions", "stages": [
                  { "id": "a", "type": "fetch", "path": "\#(a)" },
                  { "id": "b", "type": "fetch", "path": "\#(b)" },
                  { "id": "ep", "type": "stitch", "inputs": \#(inputs), "video": { "preset": "ultrafast" },
                    "transition": { "type": "crossfade", "duration": 0.5 } } ] }
                """#.utf8
            ).write(to: file)
            return file.path
        }
        let library = folder.appendingPathComponent("lib").path
        let good = try ReelBinary.run([
            "run", try pipeline(#"["a", {"stage": "b", "transition": {"type": "fade-black", "duration": 1}}, "a"]"#),
            "--library", library, "--json",
        ])
        #expect(good.status == 0, "\(good.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: good.stdoutData) as? [String: Any] ?? [:]
        let stages = manifest["stages"] as? [[String: Any]] ?? []
        let episode = try #require(stages.first { $0["id"] as? String == "ep" })
        let output = try #require((episode["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        let video = try #require(try FFprobeReport.of(output).streams.first { $0.codecType == "video" })
        #expect(abs((Double(video.duration ?? "") ?? 0) - 4.5) < 0.001, "6 s less 1 s and 0.5 s")

        let tooLong = try ReelBinary.run([
            "validate",
            try pipeline(#"["a", {"stage": "b", "out": 1, "transition": {"type": "crossfade", "duration": 1.5}}]"#),
        ])
        #expect(tooLong.status == 2)
        #expect(tooLong.stderr.contains(#"(stage "ep")"#), "\(tooLong.stderr)")
        #expect(tooLong.stderr.contains("lasts 1.0 s, less than the crossfade of 1.5 s into it"), "\(tooLong.stderr)")
        let pastEnd = try ReelBinary.run(["validate", try pipeline(#"["a", {"stage": "b", "out": 9}]"#)])
        #expect(pastEnd.status == 2)
        #expect(pastEnd.stderr.contains("out (9.0 s) is past its end (2.0 s long)"), "\(pastEnd.stderr)")
        let first = try ReelBinary.run([
            "validate", try pipeline(#"[{"stage": "a", "transition": {"type": "crossfade", "duration": 1}}, "b"]"#),
        ])
        #expect(first.status == 2)
        #expect(first.stderr.contains("stages[2].inputs[0].transition"), "\(first.stderr)")
        let untimed = try ReelBinary.run([
            "validate", try pipeline(#"["a", {"stage": "b", "transition": {"type": "wipe-left"}}]"#),
        ])
        #expect(untimed.status == 2)
        #expect(untimed.stderr.contains("stages[2].inputs[1].transition.duration"), "\(untimed.stderr)")
        #expect(untimed.stderr.contains("is required: the seconds the inputs overlap"), "\(untimed.stderr)")
    }
}
