import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// What a validated pipeline promises: every value the rules accept runs. The values come from the rules
/// themselves (each preset, each sample rate the AAC encoder lists, the ends of every range), so a rule that lets
/// through something the media layer cannot do fails here.
@Suite("every value the rules accept runs", .serialized)
struct AcceptedValuesTests {
    /// One stage per accepted value, each checked afterwards with ffprobe where the value is visible in the file.
    struct Case {
        var id: String
        var stage: String
        /// ffprobe's `stream=KEY` for the first stream of `type` and the value it must show.
        var probe: (type: String, key: String, value: String)?
    }

    static func stitch(_ id: String, _ fields: String, probe: (String, String, String)? = nil) -> Case {
        Case(
            id: id, stage: #"{ "id": "\#(id)", "type": "stitch", "inputs": ["clip"], "mode": "reencode", \#(fields) }"#,
            probe: probe)
    }

    static func thumbnail(_ id: String, _ fields: String, probe: (String, String, String)? = nil) -> Case {
        Case(id: id, stage: #"{ "id": "\#(id)", "type": "thumbnail", "input": "clip", \#(fields) }"#, probe: probe)
    }

    static var cases: [Case] {
        var cases: [Case] = []
        // Fast presets on the clip; every preset, the slow ones included, at a single frame (fps at the low end).
        for preset in StitchOptions.presets {
            cases.append(
                stitch(
                    "preset-\(preset)",
                    #""video": { "preset": "\#(preset)", "fps": \#(StitchOptions.framesPerSecond.lowerBound) }"#))
        }
        for crf in [VideoCodec.h264.crfs.lowerBound, VideoCodec.h264.crfs.upperBound] {
            cases.append(stitch("crf-\(crf)", #""video": { "crf": \#(crf) }"#))
        }
        cases.append(
            stitch(
                "fps-low", #""video": { "fps": \#(StitchOptions.framesPerSecond.lowerBound) }"#,
                probe: ("v", "r_frame_rate", "1/10")))
        cases.append(
            stitch(
                "fps-high", #""video": { "fps": \#(StitchOptions.framesPerSecond.upperBound) }"#,
                probe: ("v", "r_frame_rate", "1000/1")))
        cases.append(
            stitch("fps-ntsc", #""video": { "fps": "30000/1001" }"#, probe: ("v", "r_frame_rate", "30000/1001")))
        for rate in StitchContainer.mp4.audioSampleRates {
            cases.append(
                stitch("rate-\(rate)", #""audio": { "rate": \#(rate) }"#, probe: ("a", "sample_rate", "\(rate)")))
        }
        for channels in StitchOptions.audioChannelCounts {
            cases.append(
                stitch(
                    "channels-\(channels)", #""audio": { "channels": \#(channels) }"#,
                    probe: ("a", "channels", "\(channels)")))
        }
        let side = StitchOptions.sides
        cases.append(
            stitch(
                "size-smallest", #""video": { "size": "\#(side.lowerBound)x\#(side.lowerBound)" }"#,
                probe: ("v", "width", "\(side.lowerBound)")))
        // The widest frame the rules take, at one frame, within the default pixel limit.
        cases.append(
            stitch(
                "size-widest", #""video": { "size": "\#(side.upperBound)x\#(side.lowerBound * 64)", "fps": 0.1 }"#,
                probe: ("v", "width", "\(side.upperBound)")))
        cases.append(
            stitch(
                "size-8k", #""video": { "size": "7680x4320", "fps": 0.1, "preset": "ultrafast" }"#,
                probe: ("v", "height", "4320")))
        let largest = ThumbnailSize.largestSide
        cases += [
            thumbnail("at-start", #""at": 0"#),
            thumbnail("at-last-percent", #""at": "99.9%""#),
            thumbnail("width-1", #""width": 1, "format": "png""#, probe: ("v", "width", "1")),
            thumbnail("height-1", #""height": 1"#, probe: ("v", "height", "1")),
            thumbnail("width-largest", #""width": \#(largest), "height": 2"#, probe: ("v", "width", "\(largest)")),
            thumbnail("quality-best", #""quality": 1"#),
            thumbnail("quality-smallest", #""quality": 31"#),
            thumbnail("jpeg", #""format": "jpeg""#, probe: ("v", "codec_name", "mjpeg")),
            thumbnail("png", #""format": "png""#, probe: ("v", "codec_name", "png")),
            thumbnail("sprite-one-tile", #""sprite": { "every": 0.1, "columns": 1, "rows": 1 }"#),
            thumbnail(
                "sprite-widest",
                #""sprite": { "every": 0.1, "columns": \#(largest / 160), "rows": 1 }"#,
                probe: ("v", "width", "\(largest / 160 * 160)")),
        ]
        return cases
    }

    @Test("a pipeline of one stage per accepted value validates, runs every stage ok, and the files show the values")
    func everyAcceptedValueRuns() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.h264Clip(seconds: 1, size: "64x36", rate: "10")
        let cases = Self.cases
        let json =
            #"{ "version": 1, "name": "accepted", "stages": [ { "id": "clip", "type": "fetch", "path": "\#(clip)" }, "#
            + cases.map(\.stage).joined(separator: ",\n") + " ] }"
        let file = folder.appendingPathComponent("accepted.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: file))
        let library = folder.appendingPathComponent("lib").path
        let validated = try ReelBinary.run(["validate", file, "--library", library])
        #expect(validated.status == 0, "\(validated.stderr)")
        let result = try ReelBinary.run(["run", file, "--library", library, "--json", "--jobs", "2"])
        let manifest = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let stages = manifest["stages"] as? [[String: Any]] ?? []
        let byID = Dictionary(uniqueKeysWithValues: stages.map { ($0["id"] as? String ?? "", $0) })
        for test in cases {
            let stage = byID[test.id]
            #expect(stage?["status"] as? String == "ok", "\(test.id): \(stage?["error"] ?? "no report")")
            guard let probe = test.probe,
                let path = (stage?["outputs"] as? [[String: Any]])?.first?["path"] as? String
            else { continue }
            let shown = try Shell.run(
                "ffprobe",
                [
                    "-v", "error", "-select_streams", "\(probe.type):0", "-show_entries", "stream=\(probe.key)",
                    "-of", "default=noprint_wrappers=1:nokey=1", path,
                ])
            #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == probe.value, "\(test.id)")
        }
        #expect(result.status == 0, "\(result.stderr)")
    }
}
