import Foundation
import ReelTestSupport
import Testing

/// What ffprobe says of a file's container and first video stream, and whether ffmpeg decodes it all cleanly.
private struct Probed {
    var format: String
    var codec: String
    var tag: String
    var frames: Int
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
        decodeErrors = try Shell.run("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"]).stderr
    }
}

@Suite("reel stitch output formats: MP4, MOV and MKV with H.264 or HEVC")
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
        #expect(probed.decodeErrors.isEmpty, "\(probed.decodeErrors)")
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
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Fixtures.h264Clip(seconds: 1, size: "160x120", rate: "25")
        let file = folder.appendingPathComponent("p.json")
        try Data(
            #"""
            { "version": 1, "name": "hevc", "stages": [
              { "id": "clip", "type": "fetch", "path": "\#(clip)" },
              { "id": "ep", "type": "stitch", "inputs": ["clip", "clip"],
                "video": { "codec": "hevc", "preset": "ultrafast" } } ],
              "expect": { "ep": { "video": { "codec": "hevc" }, "frames": 50 } } }
            """#.utf8
        ).write(to: file)
        let result = try ReelBinary.run(
            ["run", file.path, "--library", folder.appendingPathComponent("lib").path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        let stage = (manifest["stages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "ep" }
        let path = try #require((stage?["outputs"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(try Probed(path).tag == "hvc1")
    }
}
