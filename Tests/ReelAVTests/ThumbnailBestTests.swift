import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Thumbnail --at best")
struct ThumbnailBestTests {
    @Test("skips a 1.5 s black lead-in and a flat red section, and says which time it chose")
    func avoidsBlackAndFlat() throws {
        let clip = try Fixtures.blackLeadIn()
        let output = try Fixtures.scratchDirectory().appendingPathComponent("poster.png").path
        let result = try Thumbnailer.thumbnail(ThumbnailRequest(input: clip, output: output, at: .best))
        let at = result.outputs[0].at
        // The recipe: black 0–1.5 s, pattern 1.5–3 s, red 3–6 s, pattern 6–7.5 s.
        #expect((1.5..<3).contains(at) || (6..<7.5).contains(at), "chose \(at) s")
        let poster = try RGBPicture.decode(output)
        #expect(poster.mean > 40, "not black")
        #expect(poster.lumaDeviation > 20, "not flat")

        let oracle = try Fixtures.scratchDirectory().appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-ss", "\(at)", "-i", clip, "-frames:v", "1", oracle])
        #expect(poster.difference(from: try RGBPicture.decode(oracle)) < 4, "the reported time is the frame shown")
    }

    @Test("the selector rejects dark, flat and blurry candidates and prefers the typical one")
    func selector() {
        func measure(_ pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> FrameSelector.Measure {
            var bytes: [UInt8] = []
            for y in 0..<32 {
                for x in 0..<32 {
                    let (r, g, b) = pixel(x, y)
                    bytes += [r, g, b]
                }
            }
            return FrameSelector.Measure(rgb: bytes, width: 32, height: 32)
        }
        let black = measure { _, _ in (0, 0, 0) }
        let flat = measure { _, _ in (200, 30, 30) }
        let checker = measure { x, y in (x + y) % 2 == 0 ? (230, 230, 230) : (40, 40, 40) }
        let stripes = measure { x, _ in x % 8 < 4 ? (220, 200, 60) : (30, 60, 200) }
        let blurry = measure { x, _ in
            let v = UInt8(60 + x * 4)
            return (v, v, v)
        }
        let stripesAgain = measure { x, _ in x % 8 >= 4 ? (220, 200, 60) : (30, 60, 200) }
        let selector = FrameSelector()
        #expect(black.isUnwanted && flat.isUnwanted && !checker.isUnwanted)
        #expect(selector.choose([black, flat, blurry, checker]) == 3, "the blurry ramp loses to a sharp picture")
        #expect(selector.choose([black, stripes, checker, stripesAgain, flat]).map { [1, 3].contains($0) } == true)
        let dimPattern = measure { x, _ in x % 2 == 0 ? (20, 20, 20) : (0, 0, 0) }
        #expect(selector.choose([black, dimPattern, flat]) == 1, "all unwanted: the most varied")
    }
}
