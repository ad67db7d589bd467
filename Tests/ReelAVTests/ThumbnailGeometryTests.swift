import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// A clip and a requested size, with the size a viewer expects, worked out from the clip's recipe.
struct GeometryCase: CustomTestStringConvertible, Sendable {
    var name: String
    var clip: @Sendable () throws -> String
    var width: Int?
    var height: Int?
    var expected: (width: Int, height: Int)

    var testDescription: String { name }
}

@Suite("Thumbnail size follows the display aspect ratio and rotation")
struct ThumbnailGeometryTests {
    static let cases: [GeometryCase] = [
        GeometryCase(name: "square, display size", clip: { try Fixtures.h264AAC() }, expected: (320, 240)),
        GeometryCase(name: "square, width only", clip: { try Fixtures.h264AAC() }, width: 100, expected: (100, 76)),
        GeometryCase(name: "square, height only", clip: { try Fixtures.h264AAC() }, height: 100, expected: (134, 100)),
        GeometryCase(
            name: "anamorphic 64:45, width 640", clip: { try Fixtures.anamorphic() }, width: 640, expected: (640, 360)),
        GeometryCase(
            name: "anamorphic 64:45, display size", clip: { try Fixtures.anamorphic() }, expected: (1024, 576)),
        GeometryCase(
            name: "anamorphic 64:45, height 144", clip: { try Fixtures.anamorphic() }, height: 144, expected: (256, 144)
        ),
        GeometryCase(name: "rotated 90", clip: { try Fixtures.rotated(clockwise: 90) }, expected: (180, 320)),
        GeometryCase(name: "rotated 180", clip: { try Fixtures.rotated(clockwise: 180) }, expected: (320, 180)),
        GeometryCase(name: "rotated 270", clip: { try Fixtures.rotated(clockwise: 270) }, expected: (180, 320)),
        GeometryCase(
            name: "rotated 90, width 90", clip: { try Fixtures.rotated(clockwise: 90) }, width: 90, expected: (90, 160)),
        GeometryCase(name: "odd VP9 4:2:0", clip: { try Fixtures.oddSized(vp9: true) }, expected: (161, 121)),
        GeometryCase(name: "odd H.264 4:4:4", clip: { try Fixtures.oddSized(vp9: false) }, expected: (161, 121)),
        GeometryCase(
            name: "odd VP9, width 80", clip: { try Fixtures.oddSized(vp9: true) }, width: 80, expected: (80, 60)),
    ]

    @Test("output size", arguments: cases)
    func size(_ geometry: GeometryCase) throws {
        let folder = try Fixtures.scratchDirectory()
        for name in ["still.jpg", "still.png"] {
            let output = folder.appendingPathComponent(name).path
            let result = try Thumbnailer.thumbnail(
                ThumbnailRequest(
                    input: try geometry.clip(), output: output, at: .seconds(0.5),
                    size: ThumbnailSize(width: geometry.width, height: geometry.height)))
            let picture = try RGBPicture.decode(output)
            #expect(picture.width == geometry.expected.width && picture.height == geometry.expected.height, "\(name)")
            #expect(result.outputs[0].width == picture.width && result.outputs[0].height == picture.height)
        }
    }

    @Test("rotated pixels match ffmpeg's auto-rotated frame, not the other turn", arguments: [90, 180, 270])
    func rotatedPixels(clockwise: Int) throws {
        let clip = try Fixtures.rotated(clockwise: clockwise)
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("mine.png").path
        _ = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(0.5)))
        let oracle = folder.appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-ss", "0.5", "-i", clip, "-frames:v", "1", oracle])
        let wrong = folder.appendingPathComponent("wrong.png").path
        let wrongFilter = clockwise == 90 ? ["-vf", "transpose=2"] : clockwise == 270 ? ["-vf", "transpose=1"] : []
        try Shell.ffmpeg(["-noautorotate", "-ss", "0.5", "-i", clip, "-frames:v", "1"] + wrongFilter + [wrong])
        let mine = try RGBPicture.decode(output)
        #expect(mine.difference(from: try RGBPicture.decode(oracle)) < 6)
        #expect(mine.difference(from: try RGBPicture.decode(wrong)) > 20)
    }

    @Test(
        "10-bit, 4:2:2 and full-range sources convert like ffmpeg does",
        arguments: ["yuv420p10le", "yuv422p", "yuv422p10le", "yuvj420p", "yuv444p"])
    func colour(pixelFormat: String) throws {
        let clip = try Fixtures.h264(pixelFormat: pixelFormat)
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("mine.png").path
        _ = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .seconds(0.4)))
        let oracle = folder.appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-ss", "0.4", "-i", clip, "-frames:v", "1", oracle])
        #expect(try RGBPicture.decode(output).difference(from: try RGBPicture.decode(oracle)) < 4)
    }

    @Test("JPEG quality: q 2 is close to the source, q 31 is smaller")
    func jpegQuality() throws {
        let clip = try Fixtures.h264AAC()
        let folder = try Fixtures.scratchDirectory()
        let best = folder.appendingPathComponent("q2.jpg").path
        let worst = folder.appendingPathComponent("q31.jpg").path
        _ = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: best, at: .seconds(1), quality: 2))
        _ = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: worst, at: .seconds(1), quality: 31))
        let oracle = folder.appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-ss", "1", "-i", clip, "-frames:v", "1", oracle])
        let reference = try RGBPicture.decode(oracle)
        #expect(try RGBPicture.decode(best).difference(from: reference) < 4)
        let size = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        #expect(size(worst) > 0 && size(worst) < size(best))
        #expect(try FFprobeReport.of(best).streams.first?.codecName == "mjpeg")
    }
}
