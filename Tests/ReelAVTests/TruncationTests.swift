import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// ffmpeg's own verdict on a file: what decoding every stream to nowhere reports at error level, and how many
/// video frames ffprobe decodes. A damaged file makes ffmpeg complain and decodes short.
private struct Oracle {
    var errors: String
    var videoFrames: Int?

    init(_ path: String) throws {
        errors = try Shell.run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"]).stderr
        let count = try Shell.run(
            "ffprobe",
            [
                "-v", "quiet", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
                "-of", "csv=p=0", path,
            ])
        videoFrames = Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Every kind of whole clip the suites make, with what it is.
private func wholeClips() throws -> [(String, String)] {
    var clips: [(String, String)] = [
        ("H.264 + AAC MP4", try Fixtures.h264AAC()),
        ("rotated 90", try Fixtures.rotated(clockwise: 90)),
        ("rotated 270", try Fixtures.rotated(clockwise: 270)),
        ("anamorphic", try Fixtures.anamorphic()),
        ("variable frame rate", try Fixtures.variableFrameRate()),
        ("video only", try Fixtures.videoOnly()),
        ("audio only M4A", try Fixtures.audioOnly()),
        ("HEVC MKV", try Fixtures.hevcMKV()),
        ("HEVC MP4", try Fixtures.hevcMP4()),
        ("VP9 + Opus WebM", try Fixtures.vp9OpusWebM()),
        ("MPEG-TS with offset", try Fixtures.mpegTSWithOffset()),
        ("MOV with an edit list", try Fixtures.movWithEditList()),
        ("faststart MP4", try Fixtures.faststartMP4()),
        ("fragmented MP4", try Fixtures.fragmentedMP4()),
        ("Matroska", try Fixtures.matroska()),
        ("stream that changes size", try Fixtures.sizeChange()),
    ]
    clips += try Fixtures.samples().map { ("sample \(($0 as NSString).lastPathComponent)", $0) }
    return clips
}

@Suite("probe detects copies cut short")
struct TruncationTests {
    @Test("a faststart MP4 cut in the middle opens as the whole clip but is probed as truncated, as ffmpeg confirms")
    func cutFaststartMP4() throws {
        let whole = try Fixtures.faststartMP4()
        let cut = try Fixtures.cut(whole, fraction: 0.5)
        let oracleWhole = try Oracle(whole)
        let oracleCut = try Oracle(cut)
        #expect(oracleWhole.errors.isEmpty, "\(oracleWhole.errors)")
        #expect(!oracleCut.errors.isEmpty)
        #expect((oracleCut.videoFrames ?? .max) < (oracleWhole.videoFrames ?? 0))

        let info = try MediaInfo.probe(cut)
        #expect(info.truncated)
        #expect(info.video != nil && info.audio != nil)
        #expect(abs((info.duration ?? 0) - 3) < 0.1, "the header still claims the whole clip")
        #expect(try MediaInfo.probe(whole).truncated == false)
    }

    @Test("a cut fragmented MP4 and a cut Matroska file are probed as truncated, as ffmpeg confirms")
    func cutFragmentedAndMatroska() throws {
        for whole in [try Fixtures.fragmentedMP4(), try Fixtures.matroska()] {
            let cut = try Fixtures.cut(whole, fraction: 0.5)
            let oracle = try Oracle(cut)
            #expect(!oracle.errors.isEmpty, "\(whole)")
            #expect((oracle.videoFrames ?? .max) < (try Oracle(whole).videoFrames ?? 0))
            #expect(try MediaInfo.probe(cut).truncated, "\(cut)")
        }
    }

    @Test("no whole clip of any kind is flagged truncated (ffmpeg decodes each without an error)")
    func noFalsePositives() throws {
        for (kind, clip) in try wholeClips() {
            #expect(try Oracle(clip).errors.isEmpty, "\(kind): ffmpeg finds \(clip) damaged")
            #expect(try MediaInfo.probe(clip).truncated == false, "\(kind): \(clip)")
        }
    }

    @Test("the probe's JSON always carries truncated, true or false")
    func probeJSON() throws {
        let encoder = JSONEncoder()
        for (clip, expected) in [(try Fixtures.faststartMP4(), false), (try Fixtures.truncatedFaststartMP4(), true)] {
            let object = try JSONSerialization.jsonObject(with: try encoder.encode(try MediaInfo.probe(clip)))
            #expect((object as? [String: Any])?["truncated"] as? Bool == expected, "\(clip)")
        }
    }
}
