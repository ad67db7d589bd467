import Foundation
import ReelTestSupport
import Testing

@testable import ReelAV

@Suite("Stitch frame rate of a variable-rate first input")
struct StitchFrameRateTests {
    @Test("a VFR first input (30 then 15 fps) gives its nominal 30/1, not its average, to the re-encoded output")
    func nominalRate() throws {
        let vfr = try Fixtures.variableRate()
        let input = try #require(try FFprobeReport.of(vfr).streams.first { $0.codecType == "video" })
        #expect(input.rFrameRate == "30/1")
        #expect(input.avgFrameRate != "30/1", "the fixture is variable rate: \(input.avgFrameRate ?? "")")

        let output = try Fixtures.scratchDirectory().appendingPathComponent("vfr.mp4").path
        let second = try Fixtures.h264Clip(size: "320x240", rate: "25")
        let result = try Stitcher.stitch(inputs: [vfr, second], to: output, options: StitchOptions(mode: .reencode))
        #expect(result.mode == .reencode)
        let video = try #require(try FFprobeReport.of(output).streams.first { $0.codecType == "video" })
        #expect(video.rFrameRate == "30/1")
        #expect(video.avgFrameRate == "30/1")
        let expected = try [vfr, second].map { path in
            try #require(try FFprobeReport.of(path).format.duration.flatMap(Double.init))
        }.reduce(0, +)
        let duration = try #require(try FFprobeReport.of(output).format.duration.flatMap(Double.init))
        #expect(abs(duration - expected) < 0.15, "output \(duration) s, inputs \(expected) s")
    }

    @Test("a phone-style clock rate (90000/1) is no frame rate: the most common frame duration decides")
    func mostCommonDuration() {
        // Twenty frames 1/30 s apart, then a few longer gaps, in decode order (B-frames reorder timestamps).
        var timestamps = (0..<20).map { Int64($0) * 3000 }
        timestamps += [60000 + 6000, 60000 + 12000, 60000 + 18000]
        timestamps.swapAt(3, 4)
        #expect(StitchInput.mostCommonRate(timestamps, timeBase: Rational(1, 90000)) == Rational(30, 1))
        #expect(StitchInput.mostCommonRate([0], timeBase: Rational(1, 90000)) == nil)
    }
}
