import ReelAV
import ReelTestSupport
import Testing

/// Per-frame checksums must equal ffmpeg's framemd5 of the same streams (video in its own pixel format,
/// audio as interleaved samples of its own sample format).
@Suite("frame checksums agree with ffmpeg's framemd5")
struct FrameChecksumTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case h264AAC, variableFrameRate, vp9OpusWebM, movEditList, mpegTSOffset, mono44k
        var testDescription: String { rawValue }
        func path() throws -> String {
            switch self {
            case .h264AAC: try Fixtures.h264AAC()
            case .variableFrameRate: try Fixtures.variableFrameRate()
            case .vp9OpusWebM: try Fixtures.vp9OpusWebM()
            case .movEditList: try Fixtures.movWithEditList()
            case .mpegTSOffset: try Fixtures.mpegTSWithOffset()
            case .mono44k: try Fixtures.h264AAC(sampleRate: 44100, channels: 1)
            }
        }
    }

    @Test("video and audio frames, in order", arguments: Kind.allCases)
    func agrees(_ kind: Kind) throws {
        let path = try kind.path()
        let file = try InputFile(path: path)
        let info = file.info
        let sums = try file.frameChecksums()
        if let video = info.video {
            let oracle = try FrameMD5.of(path, ["-map", "0:\(video.index)"]).map(\.md5)
            let ours = sums.filter { $0.stream == video.index }.map(\.md5)
            #expect(!oracle.isEmpty)
            #expect(ours == oracle, "video: \(ours.count) frames vs ffmpeg's \(oracle.count)")
        }
        if let audio = info.audio {
            let codec = audio.sampleFormat?.hasPrefix("flt") == true ? "pcm_f32le" : "pcm_s16le"
            let oracle = try FrameMD5.of(path, ["-map", "0:\(audio.index)", "-c:a", codec]).map(\.md5)
            let ours = sums.filter { $0.stream == audio.index }.map(\.md5)
            #expect(!oracle.isEmpty)
            #expect(ours == oracle, "audio: \(ours.count) frames vs ffmpeg's \(oracle.count)")
        }
    }

    @Test("times start at zero for a clip with a start offset")
    func relativeTimes() throws {
        let sums = try InputFile(path: try Fixtures.mpegTSWithOffset()).frameChecksums()
        let firstVideo = try #require(sums.first { $0.type == .video })
        #expect(abs(firstVideo.time) < 0.05)
    }
}
