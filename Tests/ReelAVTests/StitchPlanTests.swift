import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Stitch plan: copy or re-encode, and why")
struct StitchPlanTests {
    @Test("compatible inputs are copied")
    func compatible() throws {
        let plan = try Stitcher.plan(
            inputs: [try Fixtures.h264Clip(source: "testsrc2"), try Fixtures.h264Clip(source: "smptebars")],
            options: StitchOptions())
        #expect(plan.mode == .copy)
        #expect(plan.reason.hasPrefix("copying"))
    }

    /// One mismatch at a time against a 320x240 30 fps clip with 48 kHz stereo AAC.
    enum Mismatch: String, CaseIterable, CustomTestStringConvertible {
        case size, fps, codec, audioRate, audioPresence, sar, channels
        var testDescription: String { rawValue }

        func clip() throws -> String {
            switch self {
            case .size: try Fixtures.h264Clip(size: "640x360")
            case .fps: try Fixtures.h264Clip(rate: "25")
            case .codec: try Fixtures.hevcMP4()
            case .audioRate: try Fixtures.h264Clip(sampleRate: 44100)
            case .audioPresence: try Fixtures.h264Clip(audio: false)
            case .sar: try Fixtures.h264Clip(sar: "4/3")
            case .channels: try Fixtures.h264Clip(channels: 1)
            }
        }

        /// Words the reason must hold, from the fixture recipes above.
        var expectedWords: [String] {
            switch self {
            case .size: ["640x360", "320x240"]
            case .fps: ["25 fps", "30 fps"]
            case .codec: ["hevc", "h264"]
            case .audioRate: ["44100 Hz", "48000 Hz"]
            case .audioPresence: ["no audio"]
            case .sar: ["4:3", "1:1"]
            case .channels: ["mono", "stereo"]
            }
        }
    }

    @Test("each kind of mismatch re-encodes and names itself", arguments: Mismatch.allCases)
    func mismatch(_ kind: Mismatch) throws {
        let first = try Fixtures.h264Clip()
        let second = try kind.clip()
        let plan = try Stitcher.plan(inputs: [first, second], options: StitchOptions())
        #expect(plan.mode == .reencode)
        #expect(plan.reason.hasPrefix("re-encoding: "))
        let name = URL(fileURLWithPath: second).lastPathComponent
        #expect(plan.reason.contains(name), "\(plan.reason)")
        for word in kind.expectedWords {
            #expect(plan.reason.contains(word), "\(plan.reason)")
        }
    }

    @Test("audio 0.5 s shorter than its video is a reason to re-encode")
    func shortAudio() throws {
        let clip = try Fixtures.flashBeep(size: "320x240", rate: "24", audioSeconds: 1.5)
        let plan = try Stitcher.plan(inputs: [clip, clip], options: StitchOptions())
        #expect(plan.mode == .reencode)
        #expect(plan.reason.contains("0.50 s shorter"), "\(plan.reason)")
    }

    @Test("asking for a size other than the inputs' re-encodes")
    func askedSize() throws {
        let clip = try Fixtures.h264Clip()
        let plan = try Stitcher.plan(inputs: [clip, clip], options: StitchOptions(width: 640, height: 480))
        #expect(plan.mode == .reencode)
        #expect(plan.reason.contains("640x480"))
    }
}
