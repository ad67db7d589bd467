import Foundation
import ReelTestSupport
import Testing

/// What ffprobe says of a file's container and first video stream, and whether ffmpeg decodes it all cleanly.
private struct Probed {
    var format: String
    var codec: String
    var tag: String
    var frames: Int
    var audioCodec: String
    var decodeErrors: String

    init(_ path: String) throws {
        let entries = try Shell.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "format=format_name:stream=codec_name,codec_tag_string,nb_read_frames", "-of",
                "default=noprint_wrappers=1", path,
            ]
        ).stdout.split(separator: "\n").reduce(into: [String: String]()) { fields, line in
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        format = entries["format_name"] ?? ""
        codec = entries["codec_name"] ?? ""
        tag = entries["codec_tag_string"] ?? ""
        frames = Int(entries["nb_read_frames"] ?? "") ?? -1
        audioCodec = try Shell.run(
            "ffprobe",
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        decodeErrors = try Shell.run("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"]).stderr
    }
}

@Suite("reel stitch output formats: MP4, MOV and MKV with H.264 or HEVC, WebM and MKV with VP9")
struct StitchFormatTests {
    @Test(
        "each container and codec opens in ffprobe with the codec and tag players need, and decodes fully",
        arguments: ["mp4", "mov", "mkv"], ["h264", "hevc"])
    func formats(container: String, codec: String) throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try Fixtures.h264Clip(seconds: 1, size: "160x120", rate: "25")
        let b = try Fixtures.h264Clip(source: "smptebars", seconds: 1, size: "160x120", rate: "25")
        let out = folder.appendingPathComponent("out.\(container)").path
        let result = try ReelBinary.run(
            ["stitch", a, b, "-o", out, "--mode", "reencode", "--codec", codec, "--preset", "ultrafast"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("x265 ["), "x265's own log stays quiet: \(result.stderr)")
        let probed = try Probed(out)
        #expect(probed.format.contains(container == "mkv" ? "matroska" : "mp4"), "\(probed.format)")
        #expect(probed.codec == codec)
        if codec == "hevc" && container != "mkv" { #expect(probed.tag == "hvc1") }
        #expect(probed.frames == 50)
        #expect(probed.audioCodec == "aac")
        #expect(probed.decodeErrors.isEmpty, "\(probed.decodeErrors)")
    }

    @Test("-o out.webm re-encodes H.264 + AAC inputs (44.1 kHz mono) to VP9 + Opus at 48 kHz, and says why")
    func webm() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try Fixtures.h264Clip(seconds: 1, size: "160x120", rate: "25")
        let b = try Fixtures.h264Clip(
            source: "smptebars", seconds: 1, size: "160x120", rate: "25", sampleRate: 44100, channels: 1)
        let out = folder.appendingPathComponent("out.webm").path
        let result = try ReelBinary.run(["stitch", a, b, "-o", out, "--preset", "ultrafast", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        #expect((report["reason"] as? String)?.hasPrefix("re-encoding: .webm holds") == true, "\(report)")
        let probed = try Probed(out)
        #expect(probed.format == "matroska,webm")
        #expect(probed.codec == "vp9" && probed.audioCodec == "opus")
        #expect(probed.frames == 50, "\(probed.frames) frames")
        #expect(probed.decodeErrors.isEmpty, "\(probed.decodeErrors)")
        let rate = try Shell.run(
            "ffprobe",
            ["-v", "error", "-select_streams", "a", "-show_entries", "stream=sample_rate", "-of", "csv=p=0", out]
        ).stdout
        #expect(rate.trimmingCharacters(in: .whitespacesAndNewlines) == "48000")
    }

    @Test("WebM inputs copy into WebM: each stream continues without a gap, audio within one Opus packet of video")
    func webmCopy() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.vp9OpusWebM()
        let out = folder.appendingPathComponent("copied.webm").path
        let result = try ReelBinary.run(["stitch", clip, clip, "-o", out, "--mode", "copy"])
        #expect(result.status == 0, "\(result.stderr)")
        let probed = try Probed(out)
        #expect(probed.codec == "vp9" && probed.audioCodec == "opus" && probed.frames == 60)
        #expect(probed.decodeErrors.isEmpty, "\(probed.decodeErrors)")
        /// Each packet's (start, end) in milliseconds, in presentation order, as ffprobe reads them.
        func packets(_ stream: String, _ path: String) throws -> [(start: Int, end: Int)] {
            try Shell.run(
                "ffprobe",
                [
                    "-v", "error", "-select_streams", stream, "-show_entries", "packet=pts,duration", "-of", "csv=p=0",
                    path,
                ]
            ).stdout.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: ",").compactMap { Int($0) }
                return fields.count >= 2 ? (fields[0], fields[0] + fields[1]) : nil
            }.sorted { $0.start < $1.start }
        }
        let video = try packets("v", out)
        let audio = try packets("a", out)
        let inputVideo = try packets("v", clip)
        for (name, stream) in [("video", video), ("audio", audio)] {
            for (previous, next) in zip(stream, stream.dropFirst()) {
                #expect(next.start <= previous.end + 1, "\(name) gap: \(previous) then \(next)")
            }
        }
        let boundary = video[inputVideo.count].start
        #expect(
            boundary - video[0].start == inputVideo.last!.end - inputVideo[0].start,
            "the second input starts where the first one's video ends")
        let secondAudio = try #require(audio.first { $0.start >= boundary - 1 })
        #expect(abs(secondAudio.start - boundary) <= 20, "audio at \(secondAudio.start), video at \(boundary)")
    }

    @Test("HEVC inputs copied into MP4 keep the hvc1 tag; --codec other than the inputs' re-encodes and says why")
    func hevcCopy() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hevc = try Fixtures.hevcMP4()
        let copied = folder.appendingPathComponent("copied.mp4").path
        let copy = try ReelBinary.run(["stitch", hevc, hevc, "-o", copied, "--mode", "copy", "--json"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let probed = try Probed(copied)
        #expect(probed.codec == "hevc" && probed.tag == "hvc1", "\(probed.tag)")
        #expect(probed.frames == 60 && probed.decodeErrors.isEmpty)
        let h264 = try Fixtures.h264Clip(seconds: 1, size: "160x120", rate: "25")
        let converted = folder.appendingPathComponent("converted.mp4").path
        let auto = try ReelBinary.run(["stitch", h264, h264, "-o", converted, "--codec", "hevc", "--json"])
        #expect(auto.status == 0, "\(auto.stderr)")
        let report = try JSONSerialization.jsonObject(with: auto.stdoutData) as? [String: Any] ?? [:]
        #expect((report["reason"] as? String)?.contains("--codec hevc asked for") == true, "\(report)")
        #expect(try Probed(converted).codec == "hevc")
    }

    @Test("a pipeline's stitch stage writes HEVC with video.codec, tagged hvc1")
    func pipelineCodec() throws {
        let path = try stitchedByPipeline(#""video": { "codec": "hevc", "preset": "ultrafast" }"#, codec: "hevc")
        #expect(try Probed(path).tag == "hvc1")
    }

    @Test("a pipeline's stitch stage with format webm stores a .webm item of VP9 + Opus")
    func pipelineWebM() throws {
        let path = try stitchedByPipeline(#""format": "webm", "video": { "preset": "ultrafast" }"#, codec: "vp9")
        #expect(path.hasSuffix(".webm"))
        let probed = try Probed(path)
        #expect(probed.format == "matroska,webm" && probed.audioCodec == "opus")
    }

    /// Runs a pipeline stitching a 1 s clip twice with the stitch stage's `fields`, expecting `codec` and 50
    /// frames; returns the stored item's path.
    private func stitchedByPipeline(_ fields: String, codec: String) throws -> String {
        let folder = try Fixtures.scratchDirectory()
        let clip = try Fixtures.h264Clip(seconds: 1, size: "160x120", rate: "25")
        let file = folder.appendingPathComponent("p.json")
        try Data(
            #"""
            { "version": 1, "name": "formats", "stages": [
              { "id": "clip", "type": "fetch", "path": "\#(clip)" },
              { "id": "ep", "type": "stitch", "inputs": ["clip", "clip"], \#(fields) } ],
              "expect": { "ep": { "video": { "codec": "\#(codec)" }, "frames": 50 } } }
            """#.utf8
        ).write(to: file)
        let result = try ReelBinary.run(
            ["run", file.path, "--library", folder.appendingPathComponent("lib").path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        let stage = (manifest["stages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "ep" }
        return try #require((stage?["outputs"] as? [[String: Any]])?.first?["path"] as? String)
    }
}
