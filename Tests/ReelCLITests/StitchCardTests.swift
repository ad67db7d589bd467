import Foundation
import ReelTestSupport
import Testing

@Suite("stitch title and end cards: still images shown for a duration, in the clips' size and rate, silent")
struct StitchCardTests {
    /// A 320x240 picture of one colour, made by ffmpeg (`ext` picks PNG or JPEG).
    static func card(_ colour: String, ext: String) throws -> String {
        try Fixtures.make(
            "card-\(colour)", ext: ext, ["-f", "lavfi", "-i", "color=c=\(colour):size=320x240", "-frames:v", "1"])
    }

    /// Each decoded frame's mean luma and mean red-difference chroma, as ffmpeg's signalstats measures them.
    private func levels(_ path: String) throws -> [(luma: Double, red: Double)] {
        try Shell.run(
            "ffprobe",
            [
                "-v", "error", "-f", "lavfi", "-i", "movie='\(path)',signalstats", "-show_entries",
                "frame_tags=lavfi.signalstats.YAVG,lavfi.signalstats.VAVG", "-of", "csv=p=0",
            ]
        ).stdout.split(separator: "\n").compactMap { line in
            let values = line.split(separator: ",").compactMap { Double($0) }
            return values.count == 2 ? (values[0], values[1]) : nil
        }
    }

    @Test("--image-duration: a PNG title and a JPEG end card around a clip, each shown exactly that long")
    func titleAndEndCards() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()  // 64x64, 30 fps, 2 s
        let out = folder.appendingPathComponent("carded.mp4").path
        let result = try ReelBinary.run(
            [
                "stitch", try Self.card("red", ext: "png"), clip, try Self.card("blue", ext: "jpg"),
                "--image-duration", "1.5", "-o", out, "--preset", "ultrafast", "--json",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        #expect((report["reason"] as? String)?.hasSuffix("is a still image") == true, "\(report)")
        let video = try #require(try FFprobeReport.of(out).streams.first { $0.codecType == "video" })
        #expect(video.width == 64 && video.height == 64, "the clip's size, not the card's")
        let frames = try levels(out)
        #expect(frames.count == 45 + 60 + 45)
        #expect(frames.prefix(45).allSatisfy { $0.red > 200 }, "red title for 1.5 s at 30 fps")
        #expect(frames.suffix(45).allSatisfy { $0.red < 128 && $0.luma < 50 }, "blue end card")
        #expect(try Fixtures.frameNumbers(out).dropFirst(45).prefix(60) == ArraySlice(0..<60))
        let silence = try Shell.run(
            "ffmpeg", ["-v", "info", "-i", out, "-af", "atrim=end=1.4,astats", "-f", "null", "-"]
        ).stderr
        #expect(silence.contains("RMS level dB: -inf"), "the title card is silent")
    }

    /// The first decoded frame's pixel at the centre as RGB, converted by ffmpeg.
    private func centreColour(_ path: String) throws -> [Int] {
        let raw = try Shell.run(
            "ffmpeg", ["-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let bytes = [UInt8](raw.stdoutData)
        let centre = (32 * 64 + 32) * 3
        return bytes.count >= centre + 3 ? bytes[centre..<centre + 3].map(Int.init) : []
    }

    @Test("color:NAME and color:#RRGGBB cards: the colour a PNG card of it shows, exactly as long, silent")
    func colourCards() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        let colour = folder.appendingPathComponent("colour.mp4").path
        let result = try ReelBinary.run(
            [
                "stitch", "color:orange", clip, "color:#2040c0", "--image-duration", "1", "-o", colour, "--preset",
                "ultrafast", "--crf", "10", "--json",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let frames = try levels(colour)
        #expect(frames.count == 30 + 60 + 30, "each card 1 s at the clip's 30 fps")
        #expect(try Fixtures.frameNumbers(colour).dropFirst(30).prefix(60) == ArraySlice(0..<60))
        // The oracle: a PNG of the same colour made by ffmpeg, stitched the same way.
        let png = folder.appendingPathComponent("png.mp4").path
        let fromPNG = try ReelBinary.run(
            [
                "stitch", try Self.card("orange", ext: "png"), clip, "--image-duration", "1", "-o", png, "--preset",
                "ultrafast", "--crf", "10",
            ])
        #expect(fromPNG.status == 0, "\(fromPNG.stderr)")
        let (ours, theirs) = (try centreColour(colour), try centreColour(png))
        #expect(ours.count == 3 && zip(ours, theirs).allSatisfy { abs($0 - $1) <= 3 }, "\(ours) against \(theirs)")
        #expect(ours.count == 3 && abs(ours[0] - 255) <= 4 && abs(ours[1] - 165) <= 4 && ours[2] <= 4, "\(ours)")
        #expect(frames.suffix(30).allSatisfy { $0.red < 128 }, "the blue end card")
        let silence = try Shell.run(
            "ffmpeg", ["-v", "info", "-i", colour, "-af", "atrim=end=0.9,astats", "-f", "null", "-"]
        ).stderr
        #expect(silence.contains("RMS level dB: -inf"), "the colour card is silent")
    }

    @Test(
        "a still without a duration, a duration on a clip, or a duration out of range is exit 2, nothing written",
        arguments: [
            ([], "is a still image: give it a duration (--image-duration)"),
            (["--image-duration", "0"], "--image-duration 0.0 s must be more than 0"),
        ])
    func badDurations(_ flags: [String], _ message: String) throws {
        try expectStitchRefused(
            [try Self.card("red", ext: "png"), try Fixtures.numberedFrames()], flags, message: message)
    }

    @Test("a colour card of no known colour, or without a duration, is exit 2 naming it, nothing written")
    func badColourCards() throws {
        let clip = try Fixtures.numberedFrames()
        try expectStitchRefused(
            ["color:chartreuse-ish", clip], ["--image-duration", "1"],
            message: "color:chartreuse-ish is not a colour: color: and a name (black, blue")
        try expectStitchRefused(
            ["color:#12345", clip], ["--image-duration", "1"], message: "color:#12345 is not a colour")
        try expectStitchRefused(["color:black", clip], [], message: "input 1 (color:black) is a still image")
    }

    @Test("a pipeline's stitch input {stage, duration} shows a fetched PNG; a duration on a clip is exit 2 before work")
    func pipelineCard() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.numberedFrames()
        func run(_ inputs: String) throws -> ProcessResult {
            let file = folder.appendingPathComponent("p-\(UUID().uuidString).json")
            try Data(
                #"""
                { "version": 1, "name": "cards", "stages": [
                  { "id": "title", "type": "fetch", "path": "\#(try Self.card("red", ext: "png"))" },
                  { "id": "clip", "type": "fetch", "path": "\#(clip)" },
                  { "id": "ep", "type": "stitch", "video": { "preset": "ultrafast" }, "inputs": \#(inputs) } ] }
                """#.utf8
            ).write(to: file)
            return try ReelBinary.run(
                ["run", file.path, "--library", folder.appendingPathComponent("lib").path, "--json"])
        }
        let good = try run(#"[{ "stage": "title", "duration": 1 }, "clip"]"#)
        #expect(good.status == 0, "\(good.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: good.stdoutData) as? [String: Any] ?? [:]
        let stage = (manifest["stages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "ep" }
        let path = try #require((stage?["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(try levels(path).count == 30 + 60)
        let coloured = try run(##"[{ "color": "#102030", "duration": 0.5 }, "clip"]"##)
        #expect(coloured.status == 0, "\(coloured.stderr)")
        let colouredManifest = try JSONSerialization.jsonObject(with: coloured.stdoutData) as? [String: Any] ?? [:]
        let colouredStage = (colouredManifest["stages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "ep" }
        let colouredPath = try #require((colouredStage?["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(try levels(colouredPath).count == 15 + 60)
        let unknown = try run(#"[{ "color": "nope", "duration": 1 }, "clip"]"#)
        #expect(unknown.status == 2)
        #expect(
            unknown.stderr.contains(#"stages[2].inputs[0].color (stage "ep"): "nope" is not a colour"#),
            "\(unknown.stderr)")
        let untimed = try run(#"[{ "color": "black" }, "clip"]"#)
        #expect(untimed.status == 2)
        #expect(untimed.stderr.contains("inputs[0].duration"), "\(untimed.stderr)")
        #expect(untimed.stderr.contains("is required for a colour card"), "\(untimed.stderr)")
        // Refused before any work: the stitch is planned on the fetched files while the pipeline is checked.
        let bad = try run(#"[{ "stage": "clip", "duration": 1 }]"#)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(#"stages[2] (stage "ep"): input 1"#), "\(bad.stderr)")
        #expect(bad.stderr.contains("a duration is for still images"), "\(bad.stderr)")
    }
}
