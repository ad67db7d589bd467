import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("the pixel limit")
struct PixelLimitTests {
    @Test("reads N pixels or WxH; refuses zero, negatives, overflow and anything else")
    func parsing() {
        #expect(PixelLimit("76800")?.maxPixels == 76800)
        #expect(PixelLimit("320x240")?.maxPixels == 76800)
        #expect(PixelLimit("7680X4320") == .standard)
        for text in ["", "0", "-1", "x", "320x", "x240", "0x10", "1x2x3", "many", "9999999999x9999999999"] {
            #expect(PixelLimit(text) == nil, "\(text)")
        }
        #expect(PixelLimit.standard.maxPixels == 33_177_600)
        #expect(PixelLimit.standard.allows(width: 7680, height: 4320))
        #expect(!PixelLimit.standard.allows(width: 7681, height: 4320))
    }

    @Test("a stream that grows mid-way is refused where it grows, naming the new size, before it is decoded")
    func streamGrows() throws {
        let clip = try Fixtures.sizeChange()
        let limit = try #require(PixelLimit("100x100"))
        let refusal = AVError.frameTooLarge(file: clip, width: 320, height: 240, limit: limit)
        let folder = try Fixtures.scratchDirectory()
        let early = try Thumbnailer.thumbnail(
            ThumbnailRequest(
                input: clip, output: folder.appendingPathComponent("early.png").path, at: .seconds(0.5),
                pixelLimit: limit))
        #expect(early.outputs.first.map { ($0.width, $0.height) } ?? (0, 0) == (64, 48))
        #expect(throws: ThumbnailError.media(refusal)) {
            try Thumbnailer.thumbnail(
                ThumbnailRequest(
                    input: clip, output: folder.appendingPathComponent("late.png").path, at: .seconds(1.5),
                    pixelLimit: limit))
        }
        for mode in [StitchMode.copy, .reencode] {
            #expect(
                throws: StitchError.input(
                    position: 1, path: clip,
                    cause: "frame 320x240 is above the limit of 10000 pixels; "
                        + "raise it with --max-pixels")
            ) {
                try Stitcher.stitch(
                    inputs: [clip], to: folder.appendingPathComponent("joined-\(mode).mp4").path,
                    options: StitchOptions(mode: mode, pixelLimit: limit))
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["early.png"])
    }

    @Test("the frames Reel makes are held to the limit too: a stitch's output size and a thumbnail's")
    func outputsToo() throws {
        let folder = try Fixtures.scratchDirectory()
        // 720x576 stored (414,720 pixels) is shown 1024x576 (589,824): within 500,000 in, above it out.
        let anamorphic = try Fixtures.anamorphic()
        let limit = PixelLimit(maxPixels: 500_000)
        let output = folder.appendingPathComponent("wide.mp4").path
        #expect(
            throws: StitchError.output(
                path: output, cause: "frame 1024x576 is above the limit of 500000 pixels; raise it with --max-pixels")
        ) {
            try Stitcher.stitch(
                inputs: [anamorphic], to: output, options: StitchOptions(mode: .reencode, pixelLimit: limit))
        }
        let still = folder.appendingPathComponent("huge.jpg").path
        // 320x240 scaled to 2000 wide is 2000x1500: 3,000,000 pixels, above a 1,000,000 limit.
        #expect(
            throws: ThumbnailError.media(
                .frameTooLarge(file: still, width: 2000, height: 1500, limit: PixelLimit(maxPixels: 1_000_000)))
        ) {
            try Thumbnailer.thumbnail(
                ThumbnailRequest(
                    input: try Fixtures.h264AAC(), output: still, at: .seconds(0.5),
                    size: ThumbnailSize(width: 2000), pixelLimit: PixelLimit(maxPixels: 1_000_000)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
