import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// The frame index a grey-levels picture shows: luma `16 + 3n` becomes full-range grey `3n * 255 / 219`.
func greyLevelIndex(_ picture: RGBPicture) -> Int {
    Int((picture.mean * 219 / 255 / 3).rounded())
}

/// The first frame whose time reaches `seconds` in a clip of `rate` fps starting at 0: worked out from the clip's
/// recipe, not from Reel.
func expectedFrame(at seconds: Double, rate: Double) -> Int {
    Int((seconds * rate - 1e-9).rounded(.up))
}

@Suite("Thumbnail picks the frame shown at a time")
struct ThumbnailFrameTests {
    /// Times on a keyframe (1.0), mid-GOP, just before the next keyframe (1.95), between two frames and near the end.
    static let times: [Double] = [0, 0.5, 1.0, 1.5, 1.52, 1.95, 2.05, 2.5, 2.9]

    @Test("--at T picks the first frame reaching T in an MP4 with B-frames", arguments: times)
    func mp4(seconds: Double) throws {
        let clip = try Fixtures.greyLevels()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("at.png").path
        let result = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(seconds)))
        let expected = expectedFrame(at: seconds, rate: Fixtures.greyLevelsRate)
        #expect(greyLevelIndex(try RGBPicture.decode(output)) == expected)
        #expect(abs(result.outputs[0].at - Double(expected) / Fixtures.greyLevelsRate) < 1e-6)

        let oracle = folder.appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-ss", "\(seconds)", "-i", clip, "-frames:v", "1", oracle])
        #expect(greyLevelIndex(try RGBPicture.decode(oracle)) == expected, "ffmpeg -ss agrees")
    }

    @Test("--at T counts from the clip's start in an MPEG-TS starting at 11.4 s", arguments: times)
    func mpegTS(seconds: Double) throws {
        let clip = try Fixtures.greyLevelsTS()
        let start = Double(try FFprobeReport.of(clip).format.startTime ?? "0") ?? 0
        #expect(start > 5, "the fixture really starts late")
        let output = try Fixtures.scratchDirectory().appendingPathComponent("at.png").path
        let result = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(seconds)))
        let expected = expectedFrame(at: seconds, rate: Fixtures.greyLevelsRate)
        #expect(greyLevelIndex(try RGBPicture.decode(output)) == expected)
        #expect(abs(result.outputs[0].at - Double(expected) / Fixtures.greyLevelsRate) < 1e-6)
    }

    @Test("--at T counts from what an edit list shows, not the hidden frames before it", arguments: [0, 0.2, 0.5, 0.9])
    func editList(seconds: Double) throws {
        let clip = try Fixtures.greyLevelsEditList()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("at.png").path
        let result = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(seconds)))
        // The recipe trims at 1.3 s: the first frame shown is frame 26.
        let expected = 26 + expectedFrame(at: seconds, rate: Fixtures.greyLevelsRate)
        #expect(greyLevelIndex(try RGBPicture.decode(output)) == expected)
        #expect(abs(result.outputs[0].at - seconds) < 0.05)

        let oracle = folder.appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-ss", "\(seconds)", "-i", clip, "-frames:v", "1", oracle])
        #expect(greyLevelIndex(try RGBPicture.decode(oracle)) == expected, "ffmpeg -ss agrees")
    }

    @Test(
        "--at T shows the frame a full ffmpeg decode has there, in H.264 and HEVC with B-frames",
        arguments: [false, true], [0.5, 1.3, 1.96, 2.0, 3.7, 3.96])
    func movingBFrames(hevc: Bool, seconds: Double) throws {
        let clip = try Fixtures.movingBFrames(hevc: hevc)
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("at.png").path
        _ = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(seconds)))
        let reel = try RGBPicture.decode(output)
        // The oracle decodes every frame from the start and keeps frame `index`.
        func oracle(_ index: Int) throws -> RGBPicture {
            let path = folder.appendingPathComponent("ffmpeg-\(index).png").path
            try Shell.ffmpeg(["-i", clip, "-vf", "select=eq(n\\,\(index))", "-frames:v", "1", path])
            return try RGBPicture.decode(path)
        }
        let index = expectedFrame(at: seconds, rate: 25)
        // Only the colour conversion may differ from ffmpeg's picture; a frame decoded from a missing reference
        // differs far more, and a neighbour differs more.
        let difference = reel.difference(from: try oracle(index))
        #expect(difference < 3.5, "differs from ffmpeg's frame \(index) by \(difference)")
        for neighbour in [index - 1, index + 1] where neighbour >= 0 && neighbour < 100 {
            #expect(reel.difference(from: try oracle(neighbour)) > difference, "closer to frame \(neighbour)")
        }
    }

    @Test("--at 50% is the frame at half the duration")
    func percent() throws {
        let clip = try Fixtures.greyLevels()
        let duration = Double(try FFprobeReport.of(clip).format.duration ?? "0") ?? 0
        let output = try Fixtures.scratchDirectory().appendingPathComponent("half.png").path
        _ = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .percent(50)))
        #expect(greyLevelIndex(try RGBPicture.decode(output)) == expectedFrame(at: duration / 2, rate: 20))
    }

    @Test("a time at or past the end fails, naming the duration, and writes nothing", arguments: [3.0, 10.0])
    func pastEnd(seconds: Double) throws {
        let clip = try Fixtures.greyLevels()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("late.png").path
        #expect {
            try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(seconds)))
        } throws: { error in
            guard case .pastEnd(_, _, let duration) = error as? ThumbnailError else { return false }
            return abs(duration - 3) < 0.01 && "\(error)".contains("duration 3.000 s")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("--at parses seconds, percentages and best, and rejects the rest")
    func parsing() throws {
        #expect(try ThumbnailTime(parsing: "12.5") == .seconds(12.5))
        #expect(try ThumbnailTime(parsing: "25%") == .percent(25))
        #expect(try ThumbnailTime(parsing: "best") == .best)
        #expect(throws: ThumbnailError.negativeTime("-1")) { try ThumbnailTime(parsing: "-1") }
        #expect(throws: ThumbnailError.malformedTime("1x")) { try ThumbnailTime(parsing: "1x") }
        #expect(throws: ThumbnailError.malformedTime("")) { try ThumbnailTime(parsing: "") }
        #expect(throws: ThumbnailError.percentOutOfRange("100%")) { try ThumbnailTime(parsing: "100%") }
    }
}
