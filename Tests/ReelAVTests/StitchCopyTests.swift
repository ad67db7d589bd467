import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Stitch copy")
struct StitchCopyTests {
    /// Three clips from different sources and of different lengths, with the same codec parameters.
    static func compatibleClips() throws -> [String] {
        [
            try Fixtures.h264Clip(source: "testsrc2", seconds: 2, tone: 440),
            try Fixtures.h264Clip(source: "smptebars", seconds: 1.5, tone: 660),
            try Fixtures.h264Clip(source: "testsrc", seconds: 2.5, tone: 880),
        ]
    }

    @Test("copying compatible clips with B-frames keeps every frame, in order, bit for bit")
    func copyKeepsFrames() throws {
        let inputs = try Self.compatibleClips()
        let output = try Fixtures.scratchDirectory().appendingPathComponent("copy.mp4").path
        let result = try Stitcher.stitch(inputs: inputs, to: output)
        #expect(result.mode == .copy)

        let expected = try inputs.flatMap { try FrameMD5.of($0, ["-map", "0:v"]).map(\.md5) }
        let actual = try FrameMD5.of(output, ["-map", "0:v"]).map(\.md5)
        #expect(actual.count == expected.count)
        #expect(actual == expected)

        let reports = try inputs.map(FFprobeReport.of)
        let inputFrames = reports.compactMap {
            $0.streams.first { $0.codecType == "video" }?.nbFrames.flatMap(Int.init)
        }
        let inputDuration = reports.compactMap { $0.format.duration.flatMap(Double.init) }.reduce(0, +)
        let oracle = try FFprobeReport.of(output)
        let video = try #require(oracle.streams.first { $0.codecType == "video" })
        let audio = try #require(oracle.streams.first { $0.codecType == "audio" })
        #expect(video.nbFrames.flatMap(Int.init) == inputFrames.reduce(0, +))
        let duration = try #require(oracle.format.duration.flatMap(Double.init))
        #expect(abs(duration - inputDuration) <= 1.0 / 30 + 0.001)
        let audioDuration = try #require(audio.duration.flatMap(Double.init))
        let videoDuration = try #require(video.duration.flatMap(Double.init))
        #expect(abs(audioDuration - videoDuration) <= 1024.0 / 48000 + 0.001)
    }

    @Test("copied output has monotonic timestamps and decodes without a single error")
    func copyDecodesCleanly() throws {
        let inputs = try Self.compatibleClips()
        let output = try Fixtures.scratchDirectory().appendingPathComponent("clean.mp4").path
        _ = try Stitcher.stitch(inputs: inputs, to: output, options: StitchOptions(mode: .copy))
        let remux = try Shell.run(
            "ffmpeg", ["-nostdin", "-v", "warning", "-i", output, "-c", "copy", "-f", "null", "-"])
        #expect(remux.status == 0)
        #expect(!remux.stderr.contains("non monotonic") && !remux.stderr.contains("non-monotonic"), "\(remux.stderr)")
        let decode = try Shell.run("ffmpeg", ["-nostdin", "-v", "error", "-i", output, "-f", "null", "-"])
        #expect(decode.status == 0)
        #expect(decode.stderr.isEmpty, "\(decode.stderr)")
    }

    @Test("the reported offsets are the inputs' durations added up")
    func copyOffsets() throws {
        let inputs = try Self.compatibleClips()
        let output = try Fixtures.scratchDirectory().appendingPathComponent("offsets.mp4").path
        let result = try Stitcher.stitch(inputs: inputs, to: output)
        let durations = try inputs.map { try #require(FFprobeReport.of($0).format.duration.flatMap(Double.init)) }
        var offset = 0.0
        for (placed, duration) in zip(result.inputs, durations) {
            #expect(abs(placed.offset - offset) <= 1.0 / 30)
            #expect(abs(placed.duration - duration) <= 1.0 / 30)
            offset += duration
        }
    }

    @Test("one input is remuxed: same frames, same duration")
    func oneInput() throws {
        let input = try Fixtures.h264Clip(seconds: 2)
        let output = try Fixtures.scratchDirectory().appendingPathComponent("one.mp4").path
        let result = try Stitcher.stitch(inputs: [input], to: output)
        #expect(result.mode == .copy)
        #expect(try FrameMD5.of(output, ["-map", "0:v"]).map(\.md5) == FrameMD5.of(input, ["-map", "0:v"]).map(\.md5))
    }

    @Test("an input whose edit list hides frames shows only its visible frames")
    func editListHidesFrames() throws {
        let editList = try Fixtures.movWithEditList()
        let source = try Fixtures.make(
            "gop-source", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=4",
                "-f", "lavfi", "-i", "sine=duration=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                "yuv420p", "-g", "50", "-c:a", "aac",
            ])
        let output = try Fixtures.scratchDirectory().appendingPathComponent("edit.mp4").path
        let result = try Stitcher.stitch(inputs: [source, editList], to: output)
        let visible = try Shell.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
                "-of", "csv=p=0", editList,
            ])
        let visibleFrames = try #require(Int(visible.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let sourceFrames = try FrameMD5.of(source, ["-map", "0:v"]).count
        #expect(try FrameMD5.of(output, ["-map", "0:v"]).count == sourceFrames + visibleFrames)
        // The second part opens on the edit list's first visible frame, not on the hidden keyframe before it.
        let shown = try DecodedMedia.lumaFrames(output)
        let visibleFirst = try #require(DecodedMedia.lumaFrames(editList).first)
        let hiddenFirst = try #require(DecodedMedia.lumaFrames(source).first)
        let opening = try #require(shown.count > sourceFrames ? shown[sourceFrames] : nil)
        func difference(_ a: [UInt8], _ b: [UInt8]) -> Int { zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } }
        #expect(difference(opening, visibleFirst) * 4 < difference(opening, hiddenFirst))
        #expect(result.reason.contains("edit list"))
        let duration = try #require(FFprobeReport.of(output).format.duration.flatMap(Double.init))
        #expect(abs(duration - Double(sourceFrames + visibleFrames) / 25) <= 1.0 / 25 + 0.03)
    }
}

@Suite("Stitch copy sync")
struct StitchCopySyncTests {
    @Test("copied clips stay in sync without drift: each flash and beep lands where its clip starts plus 0.5 s")
    func boundariesInSync() throws {
        let clip = try Fixtures.flashBeep(size: "320x240", rate: "30")
        let output = try Fixtures.scratchDirectory().appendingPathComponent("sync.mp4").path
        // Seven clips: a drift of a few milliseconds per boundary would add up past one AAC frame.
        let result = try Stitcher.stitch(
            inputs: Array(repeating: clip, count: 7), to: output, options: StitchOptions(mode: .copy))
        #expect(result.mode == .copy)
        let length = try #require(
            FFprobeReport.of(clip).streams.first { $0.codecType == "video" }?.duration.flatMap(Double.init))
        let expected = (0..<7).map { Double($0) * length + 0.5 }

        let frames = try DecodedMedia.lumaFrames(output)
        let bright = frames.map { frame in Double(frame.reduce(0) { $0 + Int($1) }) / Double(frame.count) > 150 }
        let flashes = bright.indices.filter { bright[$0] && ($0 == 0 || !bright[$0 - 1]) }.map { Double($0) / 30 }
        try #require(flashes.count == 7, "flashes at \(flashes)")
        for (flash, time) in zip(flashes, expected) {
            #expect(abs(flash - time) <= 1.0 / 30 + 0.001, "flash at \(flash), expected \(time)")
        }

        let samples = try DecodedMedia.monoSamples(output)
        var beeps: [Double] = []
        var last = -48000
        for (index, sample) in samples.enumerated() where abs(Int(sample)) > 4000 {
            if index - last > 24000 { beeps.append(Double(index) / 48000) }
            last = index
        }
        try #require(beeps.count == 7, "beeps at \(beeps)")
        for (beep, time) in zip(beeps, expected) {
            #expect(abs(beep - time) <= 1024.0 / 48000, "beep at \(beep), expected \(time)")
        }
    }
}
