import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Stitch re-encode")
struct StitchReencodeTests {
    /// Six kinds of clip, 2 s each, every one with a white flash at 0.5 s and (when it has audio) a beep at 0.5 s.
    static func mixedClips() throws -> [String] {
        [
            try Fixtures.flashBeep(size: "640x360", rate: "24"),
            try Fixtures.flashBeep(size: "640x360", rate: "30", rotate: 90),
            try Fixtures.flashBeep(size: "480x360", rate: "25", sar: "4/3"),
            try Fixtures.flashBeep(size: "320x240", rate: "60", audioRate: nil),
            try Fixtures.flashBeep(size: "320x240", rate: "30", audioRate: 44100, channels: 1),
            try Fixtures.flashBeep(size: "320x240", rate: "24", audioSeconds: 1.5),
        ]
    }

    /// Times (seconds) where a run of `isOn` values starts, given `rate` values per second.
    private func onsets(_ isOn: [Bool], rate: Double, minimumGap: Int) -> [Double] {
        var result: [Double] = []
        var last = -minimumGap - 1
        for (index, on) in isOn.enumerated() where on {
            if index - last > minimumGap { result.append(Double(index) / rate) }
            last = index
        }
        return result
    }

    @Test("a mixed set becomes one size, one frame rate and 48 kHz stereo, in sync at every boundary")
    func mixedSet() throws {
        let inputs = try Self.mixedClips()
        let output = try Fixtures.scratchDirectory().appendingPathComponent("mixed.mp4").path
        let result = try Stitcher.stitch(inputs: inputs, to: output)
        #expect(result.mode == .reencode)

        let oracle = try FFprobeReport.of(output)
        let video = try #require(oracle.streams.first { $0.codecType == "video" })
        let audio = try #require(oracle.streams.first { $0.codecType == "audio" })
        #expect(oracle.streams.count == 2)
        #expect(video.codecName == "h264")
        #expect(video.width == 640 && video.height == 360)
        #expect(video.avgFrameRate == "24/1")
        #expect(video.sampleAspectRatio == nil || video.sampleAspectRatio == "1:1")
        #expect(audio.codecName == "aac")
        #expect(audio.sampleRate == "48000")
        #expect(audio.channels == 2)
        let inputDurations = try inputs.map { path in
            try #require(
                FFprobeReport.of(path).streams.first { $0.codecType == "video" }?.duration.flatMap(Double.init))
        }
        let total = inputDurations.reduce(0, +)
        let duration = try #require(oracle.format.duration.flatMap(Double.init))
        #expect(abs(duration - total) <= 1.0 / 24 + 0.001)
        let audioDuration = try #require(audio.duration.flatMap(Double.init))
        #expect(abs(audioDuration - total) <= 1024.0 / 48000 + 0.001)

        var starts: [Double] = []
        var offset = 0.0
        for length in inputDurations {
            starts.append(offset)
            offset += length
        }
        let frames = try DecodedMedia.lumaFrames(output)
        // The middle of the picture (every input fills it, whatever its shape).
        let mean = frames.map { frame in
            let centre = (14..<22).flatMap { row in (28..<36).map { Int(frame[row * 64 + $0]) } }
            return Double(centre.reduce(0, +)) / Double(centre.count)
        }
        let flashes = onsets(mean.map { $0 > 150 }, rate: 24, minimumGap: 12)
        try #require(flashes.count == inputs.count, "flashes at \(flashes)")
        for (flash, start) in zip(flashes, starts) {
            #expect(abs(flash - (start + 0.5)) <= 1.0 / 24 + 0.001, "flash at \(flash), input starts at \(start)")
        }

        let samples = try DecodedMedia.monoSamples(output)
        let beeps = onsets(samples.map { abs(Int($0)) > 4000 }, rate: 48000, minimumGap: 24000)
        let audible = [0, 1, 2, 4, 5].map { starts[$0] + 0.5 }
        try #require(beeps.count == audible.count, "beeps at \(beeps)")
        for (beep, expected) in zip(beeps, audible) {
            #expect(abs(beep - expected) <= 1024.0 / 48000, "beep at \(beep), expected \(expected)")
        }
        let pairs = [0, 1, 2, 4, 5].map { flashes[$0] }
        for (flash, beep) in zip(pairs, beeps) {
            #expect(abs(flash - beep) <= 1.0 / 24 + 1024.0 / 48000, "flash \(flash) vs beep \(beep)")
        }
    }

    @Test("the portrait clip is turned upright and pillarboxed: bars left and right of the flash")
    func rotationAndPad() throws {
        let portrait = try Fixtures.flashBeep(size: "640x360", rate: "30", rotate: 90)
        let first = try Fixtures.flashBeep(size: "640x360", rate: "24")
        let output = try Fixtures.scratchDirectory().appendingPathComponent("portrait.mp4").path
        _ = try Stitcher.stitch(inputs: [first, portrait], to: output, options: StitchOptions(mode: .reencode))
        let frames = try DecodedMedia.lumaFrames(output)
        // The portrait flash: 0.5 s into the second clip (which starts at 2 s), frame 60 at 24 fps.
        let flash = try #require(frames.count > 61 ? frames[61] : nil)
        let width = 64
        func column(_ x: Int) -> Double { Double((0..<36).map { Int(flash[$0 * width + x]) }.reduce(0, +)) / 36 }
        #expect(column(2) < 40, "left bar")
        #expect(column(61) < 40, "right bar")
        #expect(column(32) > 200, "picture")
        // 360x640 shown in 640x360: the picture is 202 wide, so bars reach about a third of the width.
        #expect(column(18) < 40)
        #expect(column(25) > 200)
    }

    @Test("crop fills the frame")
    func cropFills() throws {
        let portrait = try Fixtures.flashBeep(size: "640x360", rate: "30", rotate: 90)
        let first = try Fixtures.flashBeep(size: "640x360", rate: "24")
        let output = try Fixtures.scratchDirectory().appendingPathComponent("crop.mp4").path
        _ = try Stitcher.stitch(
            inputs: [first, portrait], to: output, options: StitchOptions(mode: .reencode, fit: .crop))
        let frames = try DecodedMedia.lumaFrames(output)
        let flash = try #require(frames.count > 61 ? frames[61] : nil)
        #expect(flash.allSatisfy { $0 > 200 })
    }

    @Test("the same inputs and options give byte-identical output")
    func deterministic() throws {
        let inputs = [
            try Fixtures.flashBeep(size: "640x360", rate: "24"),
            try Fixtures.flashBeep(size: "320x240", rate: "30", audioRate: 44100, channels: 1),
        ]
        let folder = try Fixtures.scratchDirectory()
        let first = folder.appendingPathComponent("a.mp4").path
        let second = folder.appendingPathComponent("b.mp4").path
        _ = try Stitcher.stitch(inputs: inputs, to: first, options: StitchOptions(mode: .reencode))
        _ = try Stitcher.stitch(inputs: inputs, to: second, options: StitchOptions(mode: .reencode))
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a.count > 0)
        #expect(a == b)
    }

    @Test("size, frame rate and audio format can be chosen")
    func chosenFormat() throws {
        let inputs = [try Fixtures.flashBeep(size: "640x360", rate: "24")]
        let output = try Fixtures.scratchDirectory().appendingPathComponent("chosen.mp4").path
        _ = try Stitcher.stitch(
            inputs: inputs, to: output,
            options: StitchOptions(
                width: 320, height: 240, frameRate: Rational(30, 1), audioSampleRate: 44100, audioChannels: 1))
        let oracle = try FFprobeReport.of(output)
        let video = try #require(oracle.streams.first { $0.codecType == "video" })
        let audio = try #require(oracle.streams.first { $0.codecType == "audio" })
        #expect(video.width == 320 && video.height == 240)
        #expect(video.avgFrameRate == "30/1")
        #expect(audio.sampleRate == "44100")
        #expect(audio.channels == 1)
    }
}
