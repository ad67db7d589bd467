import Foundation
import ReelTestSupport
import Testing

/// The same 2 s clip encoded losslessly (so every decoded frame equals its source), optionally with one frame
/// marked by a white box: a change to exactly one frame.
private func encoded(markingFrame frame: Int?) throws -> String {
    let box = frame.map { "drawbox=x=10:y=10:w=40:h=40:color=white:t=fill:enable='eq(n\\,\($0))'" } ?? "null"
    return try Fixtures.make(
        "verify-\(frame.map(String.init) ?? "clean")", ext: "mp4",
        [
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=2", "-f", "lavfi", "-i",
            "sine=duration=2", "-vf", box, "-c:v", "libx264", "-preset", "veryfast", "-qp", "0", "-threads", "1",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-fflags", "+bitexact",
        ])
}

@Suite("reel verify")
struct VerifyCommandTests {
    @Test("--reference --exact passes an identical file")
    func identical() throws {
        let clip = try encoded(markingFrame: nil)
        let copy = try Fixtures.scratchDirectory().appendingPathComponent("copy.mp4").path
        try FileManager.default.copyItem(atPath: clip, toPath: copy)
        let result = try ReelBinary.run(["verify", copy, "--reference", clip, "--exact"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ok      video frame checksums: 60 match"))
    }

    @Test("--reference --exact catches a one-frame change and names the frame, its time and both checksums")
    func oneFrameChanged() throws {
        let clean = try encoded(markingFrame: nil)
        let marked = try encoded(markingFrame: 10)
        let oracleClean = try FrameMD5.of(clean, ["-map", "0:v"])
        let oracleMarked = try FrameMD5.of(marked, ["-map", "0:v"])
        let firstDifferent = try #require(oracleClean.indices.first { oracleClean[$0].md5 != oracleMarked[$0].md5 })
        #expect(firstDifferent == 10)
        let result = try ReelBinary.run(["verify", marked, "--reference", clean, "--exact", "--json"])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(report["ok"] as? Bool == false)
        let failed = (report["checks"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
        #expect(failed.count == 1)
        #expect(failed.first?["check"] as? String == "video frame 10 at 0.333s")
        #expect(failed.first?["expected"] as? String == oracleClean[10].md5)
        #expect(failed.first?["actual"] as? String == oracleMarked[10].md5)
    }

    @Test("--expect checks duration, size, codec, fps, audio, frames and sha256 against ffprobe's facts")
    func expectations() throws {
        let clip = try Fixtures.h264AAC(seconds: 2, size: "320x240", rate: "30")
        let sha = try Shell.run("sha256sum", [clip]).stdout.prefix(64)
        let folder = try Fixtures.scratchDirectory()
        let good = folder.appendingPathComponent("good.json")
        try Data(
            """
            { "duration": [1.95, 2.05], "video": { "size": "320x240", "codec": "h264", "fps": 30 },
              "audio": { "rate": 48000, "channels": 2 }, "frames": 60, "sha256": "\(sha)" }
            """.utf8
        ).write(to: good)
        let pass = try ReelBinary.run(["verify", clip, "--expect", good.path])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.split(separator: "\n").count == 9)

        let bad = folder.appendingPathComponent("bad.json")
        try Data(#"{ "duration": [3, 4], "video": { "size": "640x360" }, "audio": false, "frames": 61 }"#.utf8)
            .write(to: bad)
        let fail = try ReelBinary.run(["verify", clip, "--expect", bad.path])
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("FAILED  duration: expected 3.000s–4.000s, got 2.000s"))
        #expect(fail.stdout.contains("FAILED  video.size: expected 640x360, got 320x240"))
        #expect(fail.stdout.contains("FAILED  audio: expected absent, got present"))
        #expect(fail.stdout.contains("FAILED  frames: expected 61, got 60"))
        #expect(fail.stderr == "reel verify: \(clip): 4 of 4 checks failed\n")
    }

    @Test("--write-checksums then a checksums expectation: same file passes, another fails")
    func checksumRoundTrip() throws {
        let clean = try encoded(markingFrame: nil)
        let folder = try Fixtures.scratchDirectory()
        let sums = folder.appendingPathComponent("clean.framesums").path
        let written = try ReelBinary.run(["verify", clean, "--write-checksums", sums])
        #expect(written.status == 0)
        let lines = try String(contentsOfFile: sums, encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.contains(",video,") }.count == 60)
        let expect = folder.appendingPathComponent("expect.json")
        try Data(#"{ "checksums": "\#(sums)" }"#.utf8).write(to: expect)
        #expect(try ReelBinary.run(["verify", clean, "--expect", expect.path]).status == 0)
        #expect(try ReelBinary.run(["verify", try encoded(markingFrame: 30), "--expect", expect.path]).status == 1)
    }

    @Test("usage: exactly one mode, else exit 2; a bad expectations file exits 2 naming the field")
    func usage() throws {
        let clip = try encoded(markingFrame: nil)
        #expect(try ReelBinary.run(["verify", clip]).status == 2)
        #expect(try ReelBinary.run(["verify", clip, "--reference", clip, "--expect", "x.json"]).status == 2)
        let folder = try Fixtures.scratchDirectory()
        let bad = folder.appendingPathComponent("typo.json")
        try Data(#"{ "duraton": 2 }"#.utf8).write(to: bad)
        let result = try ReelBinary.run(["verify", clip, "--expect", bad.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(#"unknown field "duraton" (did you mean "duration"?)"#))
    }

    @Test("a missing or corrupt file fails with one line, exit 1")
    func badFile() throws {
        let result = try ReelBinary.run(["verify", "/nonexistent.mp4", "--reference", try encoded(markingFrame: nil)])
        #expect(result.status == 1)
        #expect(result.stderr == "reel verify: /nonexistent.mp4: No such file or directory\n")
    }
}
