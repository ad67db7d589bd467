import Foundation
import ReelTestSupport
import Testing

/// The JSON object `reel verify --json` printed.
private func report(_ result: ProcessResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
}

/// The checks of a report that failed.
private func failures(_ report: [String: Any]) -> [[String: Any]] {
    (report["checks"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
}

/// `reference` with its audio delayed by 40 ms (pictures copied).
private func audioLate(_ reference: String) throws -> String {
    try Fixtures.derive(
        "moving-audio-late-40", ext: "mp4", from: reference, ["-c:v", "copy", "-af", "adelay=40:all=1", "-c:a", "aac"])
}

@Suite("reel verify --reference: perceptual comparison")
struct VerifyPerceptualTests {
    @Test("two x264 thread counts give different bits: --exact fails, the perceptual check passes")
    func threadCounts() throws {
        let one = try Fixtures.moving(crf: 20, threads: 1)
        let four = try Fixtures.moving(crf: 20, threads: 4)
        let sums = try Shell.run("md5sum", [one, four]).stdout.split(separator: "\n").map { $0.prefix(32) }
        #expect(sums.count == 2 && sums[0] != sums[1], "the two encodes should differ in bits")
        let exact = try ReelBinary.run(["verify", four, "--reference", one, "--exact"])
        #expect(exact.status == 1, "\(exact.stdout)")
        let perceptual = try ReelBinary.run(["verify", four, "--reference", one, "--json"])
        #expect(perceptual.status == 0, "\(perceptual.stdout)\(perceptual.stderr)")
        let scores = try #require(try report(perceptual)["similarity"] as? [String: Any])
        #expect((scores["frames"] as? [Any])?.count == 50)
        let mean = try #require((scores["mean_ssim"] as? [String: Any])?["all"] as? Double)
        #expect(mean > 0.98 && mean < 1)
    }

    @Test("a frame replaced by its neighbour fails naming the frame and the reference frame it shows")
    func frameReplacedByNeighbour() throws {
        let reference = try Fixtures.moving(crf: 10)
        let frozen = try Fixtures.derive(
            "moving-frame-15-frozen", ext: "mp4", from: reference,
            [
                "-filter_complex", "[0:v]split[a][b];[a][b]freezeframes=first=15:last=15:replace=14", "-c:v",
                "libx264", "-crf", "10", "-c:a", "copy",
            ])
        let pictures = try Fixtures.scratchDirectory().path
        let result = try ReelBinary.run(["verify", frozen, "--reference", reference, "--pictures", pictures])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "FAILED  ssim: expected ≥ 0.98, got mean"),
            "\(result.stdout)")
        #expect(result.stdout.contains("at frame 15 (0.600s), which shows reference frame 14 instead of 15"))
        #expect(result.stderr.hasPrefix("reel verify: \(frozen): "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test(
        "pictures shifted by two frames, either way, are reported once as a shift",
        arguments: [
            ("moving-late-2", "tpad=start=2:start_mode=clone,trim=end_frame=50", "+2 frames (+80.0 ms)"),
            (
                "moving-early-2", "trim=start_frame=2,setpts=PTS-STARTPTS,tpad=stop=2:stop_mode=clone",
                "-2 frames (-80.0 ms)"
            ),
        ])
    func shiftedPictures(_ name: String, _ filter: String, _ shift: String) throws {
        let reference = try Fixtures.moving(crf: 10)
        let shifted = try Fixtures.derive(
            name, ext: "mp4", from: reference, ["-vf", filter, "-c:v", "libx264", "-crf", "10", "-c:a", "copy"])
        #expect(try FFprobeReport.of(shifted).streams.first { $0.codecType == "video" }?.nbFrames == "50")
        let result = try ReelBinary.run(["verify", shifted, "--reference", reference, "--json"])
        #expect(result.status == 1)
        let failed = failures(try report(result))
        // 25 fps: two frames are 80 ms.
        #expect(failed.map { $0["check"] as? String } == ["video.shift"], "\(failed)")
        #expect(failed.first?["actual"] as? String == "output is shifted by \(shift)")
    }

    @Test("audio shifted by 40 ms fails naming the offset, though every picture matches")
    func audioShift() throws {
        let reference = try Fixtures.moving(crf: 20)
        let late = try audioLate(reference)
        let result = try ReelBinary.run(["verify", late, "--reference", reference, "--json"])
        #expect(result.status == 1)
        let failed = failures(try report(result))
        #expect(failed.map { $0["check"] as? String } == ["audio.offset"])
        let actual = failed.first?["actual"] as? String ?? ""
        #expect(["39.5 ms", "40.0 ms", "40.5 ms"].contains { actual.hasPrefix($0) }, "\(actual)")
        #expect(actual.hasSuffix("(output audio late)"))
        #expect(try ReelBinary.run(["verify", late, "--reference", reference, "--max-av-offset-ms", "50"]).status == 0)
    }

    @Test("audio muted for half its length fails on the audio difference at the default, passes a looser threshold")
    func audioDifference() throws {
        let reference = try Fixtures.moving(crf: 20)
        let muted = try Fixtures.derive(
            "moving-audio-muted-half", ext: "mp4", from: reference,
            ["-c:v", "copy", "-af", "volume=0:enable='between(t,0.5,1.5)'", "-c:a", "aac"])
        let result = try ReelBinary.run(["verify", muted, "--reference", reference, "--json"])
        #expect(result.status == 1)
        let failed = failures(try report(result))
        #expect(failed.map { $0["check"] as? String } == ["audio.difference"], "\(failed)")
        // Half the reference's energy is gone: the difference is about 10·log10(1/2) = -3 dB of it.
        let actual = failed.first?["actual"] as? String ?? ""
        let decibels = try #require(Double(actual.prefix { $0 != " " }), "\(actual)")
        #expect(decibels > -4 && decibels < -2, "\(actual)")
        let loose = try ReelBinary.run(["verify", muted, "--reference", reference, "--max-audio-difference-db=0"])
        #expect(loose.status == 0, "\(loose.stdout)")
        // The same encode of the same sound has identical samples.
        let same = try ReelBinary.run([
            "verify", try Fixtures.moving(crf: 20, threads: 4), "--reference", reference, "--json",
        ])
        let checks = try report(same)["checks"] as? [[String: Any]] ?? []
        let difference = checks.first { $0["check"] as? String == "audio.difference" }
        #expect(difference?["ok"] as? Bool == true)
        #expect(difference?["actual"] as? String == "none (identical samples)")
    }

    @Test("a failure writes the difference picture: reference | output | heatmap lit where the frame changed")
    func differencePicture() throws {
        let reference = try Fixtures.moving(crf: 10)
        let boxed = try Fixtures.derive(
            "moving-box-frame-10", ext: "mp4", from: reference,
            [
                "-vf", "drawbox=x=100:y=60:w=120:h=90:color=white:t=fill:enable='eq(n\\,10)'", "-c:v", "libx264",
                "-crf", "10", "-c:a", "copy",
            ])
        let folder = try Fixtures.scratchDirectory().path
        let result = try ReelBinary.run(["verify", boxed, "--reference", reference, "--pictures", folder, "--json"])
        #expect(result.status == 1)
        let pictures = try report(result)["pictures"] as? [String] ?? []
        let png = try #require(pictures.first { $0.hasSuffix(".difference.png") })
        #expect(pictures.contains { $0.hasSuffix(".ssim.svg") })
        #expect(result.stderr.contains(png), "the error line names the picture: \(result.stderr)")
        let stream = try FFprobeReport.of(png).streams.first
        #expect(stream?.width == 3 * 320)
        #expect(stream?.height == 240 + 24)
        // Read the picture back as RGB with ffmpeg and look at the heatmap panel (the third, from x = 640).
        let raw = try Shell.run("ffmpeg", ["-v", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let bytes = [UInt8](raw.stdoutData)
        #expect(bytes.count == 960 * 264 * 3)
        func red(_ x: Int, _ y: Int) -> Int { bytes.count == 960 * 264 * 3 ? Int(bytes[(y * 960 + 640 + x) * 3]) : 0 }
        let inside = (70..<140).flatMap { y in (110..<210).map { red($0, y) } }
        let outside = (180..<230).flatMap { y in (250..<310).map { red($0, y) } }
        #expect(inside.filter { $0 > 128 }.count > inside.count * 3 / 4, "the changed box is lit")
        #expect(outside.filter { $0 > 128 }.count < outside.count / 10, "the unchanged corner is dark")
        let checks = try report(result)["checks"] as? [[String: Any]] ?? []
        #expect(checks.contains { ($0["actual"] as? String)?.contains("at frame 10 (0.400s)") == true })
    }

    @Test("--expect with a failing similar_to writes the same pictures, beside the file unless --pictures says")
    func expectSimilarToPictures() throws {
        let folder = try Fixtures.scratchDirectory()
        let checked = folder.appendingPathComponent("worse.mp4").path
        try FileManager.default.copyItem(atPath: try Fixtures.moving(crf: 51), toPath: checked)
        let expectations = folder.appendingPathComponent("expect.json")
        try Data(#"{ "similar_to": { "reference": "\#(try Fixtures.moving(crf: 20))" } }"#.utf8).write(to: expectations)

        let result = try ReelBinary.run(["verify", checked, "--expect", expectations.path])
        #expect(result.status == 1)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let png = try #require(written.first { $0.hasSuffix(".difference.png") }, "\(written)")
        #expect(written.contains { $0.hasSuffix(".ssim.svg") }, "\(written)")
        #expect(result.stdout.contains("FAILED  ssim"), "\(result.stdout)")
        #expect(result.stdout.contains(folder.appendingPathComponent(png).path), "the failure names the picture")

        let elsewhere = try Fixtures.scratchDirectory().path
        let moved = try ReelBinary.run(["verify", checked, "--expect", expectations.path, "--pictures", elsewhere])
        #expect(moved.status == 1)
        let there = try FileManager.default.contentsOfDirectory(atPath: elsewhere)
        #expect(there.contains { $0.hasSuffix(".difference.png") }, "\(there)")
    }

    @Test("a shorter output fails on the frame count and names the reference frames it lacks")
    func differentLength() throws {
        let reference = try Fixtures.moving(crf: 20, seconds: 2)
        let short = try Fixtures.moving(crf: 20, seconds: 1)
        let pictures = try Fixtures.scratchDirectory().path
        let result = try ReelBinary.run(["verify", short, "--reference", reference, "--pictures", pictures])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED  video frames: expected 50, got 25"))
        #expect(result.stdout.contains("FAILED  reference frame 25 at 1.000s: expected in the output, got missing"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("pictures of another size fail on the size, one line, exit 1")
    func differentSize() throws {
        let result = try ReelBinary.run([
            "verify", try Fixtures.moving(crf: 20, size: "160x120"), "--reference", try Fixtures.moving(crf: 20),
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED  video.size: expected 320x240, got 160x120"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("a file without video: one line naming it, exit 1")
    func noVideo() throws {
        let audio = try Fixtures.audioOnly()
        let result = try ReelBinary.run(["verify", audio, "--reference", try Fixtures.moving(crf: 20)])
        #expect(result.status == 1)
        #expect(result.stderr == "reel verify: \(audio): no video stream\n")
    }

    @Test(
        "thresholds out of range: one line naming the option, exit 2",
        arguments: [
            (["--min-ssim", "1.5"], "--min-ssim 1.5 must be from 0 to 1"),
            (["--min-psnr=-3"], "--min-psnr -3 must be from 0 to 100 dB"),
            (["--max-av-offset-ms", "900"], "--max-av-offset-ms 900 must be from 0 to 500 ms"),
            (["--max-audio-difference-db", "5"], "--max-audio-difference-db 5 must be from -100 to 0 dB"),
        ])
    func thresholdsOutOfRange(_ arguments: [String], _ message: String) throws {
        let clip = try Fixtures.moving(crf: 20)
        let result = try ReelBinary.run(["verify", clip, "--reference", clip] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("--update writes the reference, and the next verify compares against it")
    func updateReference() throws {
        let clip = try Fixtures.moving(crf: 20)
        let golden = try Fixtures.scratchDirectory().appendingPathComponent("golden/episode.mp4").path
        let update = try ReelBinary.run(["verify", clip, "--reference", golden, "--update"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: clip, andPath: golden))
        #expect(try ReelBinary.run(["verify", clip, "--reference", golden]).status == 0)
        #expect(
            try ReelBinary.run(["verify", try Fixtures.moving(crf: 20, size: "160x120"), "--reference", golden])
                .status == 1)
    }

    @Test("--junit writes one test case per check, failures with their message")
    func junit() throws {
        let reference = try Fixtures.moving(crf: 20)
        let late = try audioLate(reference)
        let path = try Fixtures.scratchDirectory().appendingPathComponent("verify.xml").path
        let result = try ReelBinary.run(["verify", late, "--reference", reference, "--junit", path, "--json"])
        #expect(result.status == 1)
        let checks = try report(result)["checks"] as? [[String: Any]] ?? []
        let script = """
            import sys, xml.etree.ElementTree as ET
            cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
            for case in cases: print(case.get("name"), "FAILED" if case.find("failure") is not None else "ok")
            """
        let parsed = try Shell.run("python3", ["-c", script, path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let lines = parsed.stdout.split(separator: "\n")
        #expect(lines.count == checks.count)
        #expect(lines.filter { $0.hasSuffix("FAILED") } == ["audio.offset FAILED"])
    }
}
