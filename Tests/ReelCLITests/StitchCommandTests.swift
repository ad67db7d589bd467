import Foundation
import ReelTestSupport
import Testing

@Suite("reel stitch")
struct StitchCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func sha256sum(_ path: String) throws -> String {
        let result = try Shell.run("sha256sum", [path])
        return String(result.stdout.prefix(64))
    }

    @Test("--json reports mode, reason, output facts with its SHA-256, and where each input landed")
    func jsonReport() throws {
        let inputs = [try Fixtures.h264Clip(source: "testsrc2"), try Fixtures.h264Clip(source: "smptebars")]
        let output = try Fixtures.scratchDirectory().appendingPathComponent("out.mp4").path
        let result = try ReelBinary.run(["stitch"] + inputs + ["-o", output, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["mode"] as? String == "copy")
        #expect((report["reason"] as? String)?.hasPrefix("copying") == true)
        let out = try #require(report["output"] as? [String: Any])
        #expect(out["path"] as? String == output)
        #expect(out["sha256"] as? String == (try sha256sum(output)))
        let oracle = try #require(FFprobeReport.of(output).format.duration.flatMap(Double.init))
        #expect(abs((out["duration"] as? Double ?? 0) - oracle) < 0.001)
        #expect((out["streams"] as? [Any])?.count == 2)
        let placed = try #require(report["inputs"] as? [[String: Any]])
        #expect(placed.map { $0["path"] as? String } == inputs)
        #expect(placed.first?["offset"] as? Double == 0)
        let firstDuration = try #require(FFprobeReport.of(inputs[0]).format.duration.flatMap(Double.init))
        #expect(abs((placed.last?["offset"] as? Double ?? 0) - firstDuration) <= 1.0 / 30)
        #expect(result.stderr.contains("copying"))
    }

    @Test("progress goes to stderr as plain lines when stderr is not a terminal; the reason comes first")
    func plainProgress() throws {
        let inputs = [
            try Fixtures.h264Clip(source: "testsrc2", seconds: 6), try Fixtures.h264Clip(sampleRate: 44100),
        ]
        let output = try Fixtures.scratchDirectory().appendingPathComponent("out.mp4").path
        let result = try ReelBinary.run(["stitch"] + inputs + ["-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("re-encoding: ") == true)
        #expect(lines.first?.contains("44100 Hz") == true)
        #expect(lines.dropFirst().contains { $0.hasPrefix("stitch: ") && $0.contains("/") })
        #expect(!result.stderr.contains("\r"))
        #expect(result.stdout.contains("reencode"))
    }

    @Test("on a terminal, progress is a bar redrawn in place with time done, total and speed")
    func terminalBar() throws {
        let inputs = [try Fixtures.h264Clip(seconds: 6), try Fixtures.h264Clip(size: "640x360")]
        let output = try Fixtures.scratchDirectory().appendingPathComponent("out.mp4").path
        let command = ([ReelBinary.path, "stitch"] + inputs + ["-o", output]).joined(separator: " ")
        let result = try Shell.run("script", ["-qec", command, "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\r["))
        #expect(result.stdout.contains("#"))
        #expect(result.stdout.contains("x  input"))
        #expect(try FFprobeReport.of(output).streams.count == 2)
    }

    @Test("two runs give the same SHA-256")
    func deterministic() throws {
        let inputs = [try Fixtures.h264Clip(), try Fixtures.h264Clip(size: "640x360", rate: "25")]
        let folder = try Fixtures.scratchDirectory()
        var digests: [String] = []
        for name in ["a.mp4", "b.mp4"] {
            let result = try ReelBinary.run(
                ["stitch"] + inputs + ["-o", folder.appendingPathComponent(name).path, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let out = try #require(try json(result.stdout)["output"] as? [String: Any])
            digests.append(try #require(out["sha256"] as? String))
        }
        #expect(digests[0] == digests[1])
        #expect(digests[0] == (try sha256sum(folder.appendingPathComponent("a.mp4").path)))
    }

    @Test("an existing output is kept unless --force")
    func existingOutput() throws {
        let input = try Fixtures.h264Clip()
        let output = try Fixtures.scratchDirectory().appendingPathComponent("out.mp4").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
        let refused = try ReelBinary.run(["stitch", input, "-o", output])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--force"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("keep me".utf8))
        let forced = try ReelBinary.run(["stitch", input, "-o", output, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try FFprobeReport.of(output).streams.count == 2)
    }

    @Test(
        "SIGINT or SIGTERM mid-stitch stops the work: the process ends by that signal, no output, no hidden file",
        arguments: [SIGINT, SIGTERM])
    func interrupted(_ signal: Int32) throws {
        let clip = try Fixtures.h264Clip(source: "testsrc", seconds: 60, size: "640x360")
        let folder = try Fixtures.scratchDirectory().path
        let reel = try ReelProcess(["stitch", clip, clip, "--mode", "reencode", "-o", folder + "/out.mp4"])
        try #require(reel.wait(upTo: 60) { hasHiddenFile(in: folder) }, "the stitch writes a hidden file first")
        usleep(300_000)
        try expectStopped(reel, by: signal, leavingEmpty: folder)
    }

    @Test("--fps 29.97 means 30000/1001, and --size and --fit crop are applied")
    func ntscRate() throws {
        let output = try Fixtures.scratchDirectory().appendingPathComponent("out.mp4").path
        let result = try ReelBinary.run(
            ["stitch", try Fixtures.h264Clip(), "-o", output, "--fps", "29.97", "--size", "640x480", "--fit", "crop"])
        #expect(result.status == 0, "\(result.stderr)")
        let video = try #require(FFprobeReport.of(output).streams.first { $0.codecType == "video" })
        #expect(video.avgFrameRate == "30000/1001")
        #expect(video.width == 640 && video.height == 480)
    }

    @Test("no inputs is a usage error (exit 2)")
    func noInputs() throws {
        let result = try ReelBinary.run(["stitch", "-o", "/tmp/never.mp4"])
        #expect(result.status == 2)
    }

    @Test("a bad --size is a usage error (exit 2)")
    func badSize() throws {
        let result = try ReelBinary.run([
            "stitch", try Fixtures.h264Clip(), "-o", "/tmp/never.mp4", "--size", "641x360",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("641x360"))
    }

    @Test("a truncated input: one line naming it by position and path, exit 1, nothing left")
    func truncatedInput() throws {
        let folder = try Fixtures.scratchDirectory()
        let bad = try Fixtures.truncatedMP4()
        let result = try ReelBinary.run(
            ["stitch", try Fixtures.h264Clip(), bad, "-o", folder.appendingPathComponent("out.mp4").path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("reel stitch: input 2 (\(bad)): ") == true, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("an input without video: one line, exit 1")
    func noVideo() throws {
        let audio = try Fixtures.audioOnly()
        let result = try ReelBinary.run(["stitch", audio, "-o", "/tmp/reel-never-written.mp4"])
        #expect(result.status == 1)
        #expect(result.stderr == "reel stitch: input 1 (\(audio)): no video stream\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/reel-never-written.mp4"))
    }

    @Test("--mode copy on incompatible inputs names the mismatch, exit 1, no output")
    func copyIncompatible() throws {
        let folder = try Fixtures.scratchDirectory()
        let other = try Fixtures.h264Clip(size: "640x360")
        let result = try ReelBinary.run(
            [
                "stitch", try Fixtures.h264Clip(), other, "-o", folder.appendingPathComponent("o.mp4").path, "--mode",
                "copy",
            ])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("reel stitch: cannot copy: "))
        #expect(result.stderr.contains("640x360"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("an unwritable output: one line, exit 1, nothing left")
    func unwritableOutput() throws {
        let folder = try Fixtures.scratchDirectory()
        let target = folder.appendingPathComponent("missing/out.mp4").path
        let result = try ReelBinary.run(["stitch", try Fixtures.h264Clip(), "-o", target])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("reel stitch: output \(target): "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
