import Foundation
import ReelTestSupport
import Testing

/// A command run under /usr/bin/time in `folder`: its result, with /usr/bin/time's line taken off stderr, and
/// the peak resident memory (KiB) of the `reel` process alone.
private func measured(_ arguments: [String], in folder: URL) throws -> (result: ProcessResult, peakKiB: Int) {
    var result = try Shell.run(
        "/usr/bin/time", ["-f", "peak-rss-kib %M", ReelBinary.path] + arguments, currentDirectory: folder.path)
    var lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let peak = lines.last.flatMap { $0.hasPrefix("peak-rss-kib ") ? Int($0.dropFirst(13)) : nil } ?? -1
    lines.removeAll { $0.hasPrefix("peak-rss-kib ") || $0.hasPrefix("Command exited with non-zero status") }
    result.stderr = lines.map { $0 + "\n" }.joined()
    return (result, peak)
}

/// `source` copied into a new folder as `name`, so a command can be given the short relative name.
private func staged(_ source: String, as name: String) throws -> URL {
    let folder = try Fixtures.scratchDirectory()
    try FileManager.default.copyItem(atPath: source, toPath: folder.appendingPathComponent(name).path)
    return folder
}

/// 500 MiB: a fraction of what decoding one 10000x10000 picture takes with its buffers (the commands took 1.3 and
/// 4 GB), well above what refusing it costs.
private let memoryBoundKiB = 500 * 1024

@Suite("frames above the pixel limit are refused before they are decoded")
struct PixelLimitCommandTests {
    @Test("stitch refuses a 294 KB clip of 10000x10000 frames with the size in the error, in little memory")
    func stitchHugeFrame() throws {
        let folder = try staged(try Fixtures.hugeFrame(), as: "big.mp4")
        try FileManager.default.copyItem(
            atPath: try Fixtures.h264AAC(), toPath: folder.appendingPathComponent("small.mp4").path)
        let (result, peak) = try measured(["stitch", "big.mp4", "small.mp4", "-o", "out.mp4"], in: folder)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "reel stitch: input 1 (big.mp4): frame 10000x10000 is above the limit of 33177600 pixels (8K); "
                + "raise it with --max-pixels\n")
        #expect(peak > 0 && peak < memoryBoundKiB, "peak RSS \(peak) KiB")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.mp4").path))
    }

    @Test("thumbnail and sprite refuse a clip of 10000x10000 frames with the size in the error, in little memory")
    func thumbnailHugeFrame() throws {
        let folder = try staged(try Fixtures.hugeFrame(), as: "big.mp4")
        let refusal =
            "big.mp4: frame 10000x10000 is above the limit of 33177600 pixels (8K); raise it with --max-pixels"
        for arguments in [["thumbnail", "big.mp4", "-o", "still.jpg"], ["thumbnail", "big.mp4", "--sprite"]] {
            let (result, peak) = try measured(arguments, in: folder)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == "reel thumbnail: \(refusal)\n", "\(arguments)")
            #expect(peak > 0 && peak < memoryBoundKiB, "\(arguments): peak RSS \(peak) KiB")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["big.mp4"])
    }

    @Test("--max-pixels lowers the limit (as N or WxH) and raising it again lets the same clip through")
    func optionMovesTheLimit() throws {
        let folder = try staged(try Fixtures.h264AAC(size: "320x240"), as: "clip.mp4")
        let lowered = [
            (["stitch", "clip.mp4", "-o", "out.mp4", "--max-pixels", "100x100"], "reel stitch: input 1 (clip.mp4): "),
            (["thumbnail", "clip.mp4", "-o", "still.jpg", "--max-pixels", "10000"], "reel thumbnail: clip.mp4: "),
        ]
        for (arguments, prefix) in lowered {
            let (result, _) = try measured(arguments, in: folder)
            #expect(result.status == 1, "\(arguments)")
            #expect(
                result.stderr
                    == prefix + "frame 320x240 is above the limit of 10000 pixels; raise it with --max-pixels\n")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["clip.mp4"])
        let exact = try measured(["stitch", "clip.mp4", "-o", "out.mp4", "--max-pixels", "320x240"], in: folder)
        #expect(exact.result.status == 0, "\(exact.result.stderr)")
        let still = try measured(["thumbnail", "clip.mp4", "-o", "still.jpg", "--max-pixels", "76800"], in: folder)
        #expect(still.result.status == 0, "\(still.result.stderr)")
        #expect(try FFprobeReport.of(folder.appendingPathComponent("out.mp4").path).streams.first?.width == 320)
        #expect(try FFprobeReport.of(folder.appendingPathComponent("still.jpg").path).streams.first?.width == 320)
    }

    @Test("a --max-pixels that is not N or WxH is a usage error (exit 2) and nothing is written")
    func badOption() throws {
        let folder = try staged(try Fixtures.h264AAC(), as: "clip.mp4")
        for value in ["0", "big", "100x", "-5", "10x10x10"] {
            for arguments in [["stitch", "clip.mp4", "-o", "out.mp4"], ["thumbnail", "clip.mp4", "-o", "s.jpg"]] {
                let (result, _) = try measured(arguments + ["--max-pixels", value], in: folder)
                #expect(result.status == 2, "\(arguments) --max-pixels \(value): \(result.stderr)")
                #expect(result.stderr.contains("--max-pixels"), "\(result.stderr)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["clip.mp4"])
    }

    @Test("a pipeline's thumbnail and stitch stages ask the same limit (max_pixels), and validate checks its form")
    func pipelineStages() throws {
        let folder = try Fixtures.scratchDirectory()
        let clip = try Fixtures.h264AAC(size: "320x240")
        let pipeline = folder.appendingPathComponent("limits.json").path
        try Data(
            """
            { "version": 1, "name": "limits", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "poster", "type": "thumbnail", "input": "clip", "at": 1, "max_pixels": 10000 },
              { "id": "joined", "type": "stitch", "inputs": ["clip"], "video": { "max_pixels": "100x100" } },
              { "id": "roomy", "type": "thumbnail", "input": "clip", "at": 1, "max_pixels": "320x240" } ] }
            """.utf8
        ).write(to: URL(fileURLWithPath: pipeline))
        let library = folder.appendingPathComponent("lib").path
        let run = try ReelBinary.run(["run", pipeline, "--json", "--library", library])
        #expect(run.status == 1, "\(run.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        let stages = Dictionary(
            uniqueKeysWithValues: (manifest["stages"] as? [[String: Any]] ?? []).map {
                ($0["id"] as? String ?? "", $0)
            })
        #expect(
            stages.mapValues { $0["status"] as? String } == [
                "clip": "ok", "poster": "failed", "joined": "failed", "roomy": "ok",
            ])
        let limit = "frame 320x240 is above the limit of 10000 pixels; raise it with --max-pixels"
        #expect((stages["poster"]?["error"] as? String)?.contains(limit) == true, "\(stages["poster"] ?? [:])")
        #expect((stages["joined"]?["error"] as? String)?.contains(limit) == true, "\(stages["joined"] ?? [:])")

        try Data(
            """
            { "version": 1, "name": "bad-limit", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "poster", "type": "thumbnail", "input": "clip", "max_pixels": "huge" } ] }
            """.utf8
        ).write(to: URL(fileURLWithPath: pipeline))
        let invalid = try ReelBinary.run(["validate", pipeline])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("max_pixels"), "\(invalid.stderr)")
    }
}
