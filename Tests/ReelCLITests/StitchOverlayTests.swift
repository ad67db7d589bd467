import Foundation
import ReelTestSupport
import Testing

@Suite("stitch overlay: a logo laid over the output where and when asked, as ffmpeg's overlay filter lays it")
struct StitchOverlayTests {
    /// An 80x40 RGBA logo: transparent around a yellow box whose alpha rises from left to right, with an opaque
    /// blue box inside.
    private func logo() throws -> String {
        try Fixtures.make(
            "overlay-logo", ext: "png",
            [
                "-f", "lavfi", "-i",
                "color=c=yellow:s=80x40,drawbox=x=24:y=12:w=32:h=16:color=blue:t=fill,format=rgba,"
                    + "geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':"
                    + "a='if(between(X,8,71)*between(Y,4,35),if(between(X,24,55)*between(Y,12,27),255,60+2*X),0)'",
                "-frames:v", "1",
            ])
    }

    private func stitch(_ inputs: [String], _ flags: [String], name: String) throws -> String {
        let out = try Fixtures.scratchDirectory().appendingPathComponent(name).path
        let result = try ReelBinary.run(
            ["stitch"] + inputs + flags + ["-o", out, "--mode", "reencode", "--preset", "ultrafast", "--crf", "10"])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    /// The flags of the overlay the tests lay: 1.5 times the logo (120x60), bottom-right 10 px in, at 0.6 opacity,
    /// over 0.51-1.49 s (frames 16 to 44 at 30 fps).
    private let flags = [
        "--overlay-position", "bottom-right", "--overlay-margin", "10", "--overlay-scale", "1.5", "--overlay-opacity",
        "0.6", "--overlay-time", "0.51-1.49",
    ]

    @Test("the logo's pixels match ffmpeg's overlay filter in the corner, only while it shows; the rest is untouched")
    func matchesFFmpeg() throws {
        let clip = try Fixtures.h264Clip()
        let logo = try logo()
        let plain = try stitch([clip], [], name: "plain.mp4")
        let laid = try stitch([clip], ["--overlay", logo] + flags, name: "overlay.mp4")
        let oracle = try Fixtures.scratchDirectory().appendingPathComponent("ffmpeg-overlay.mp4").path
        try Shell.ffmpeg([
            "-i", clip, "-i", logo, "-filter_complex",
            "[1:v]scale=120:60,format=rgba,colorchannelmixer=aa=0.6[logo];"
                + "[0:v][logo]overlay=x=190:y=170:enable='between(t,0.51,1.49)',format=yuv420p",
            "-an", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", oracle,
        ])
        let (ours, theirs, without) = (
            try DecodedMedia.yuvFrames(laid), try DecodedMedia.yuvFrames(oracle), try DecodedMedia.yuvFrames(plain)
        )
        #expect(ours.count == 60 && theirs.count == 60 && without.count == 60)
        guard ours.count == 60, theirs.count == 60, without.count == 60 else { return }
        let (corner, rows) = (190..<310, 170..<230)
        for frame in 0..<60 {
            let inCorner = DecodedMedia.psnr(ours[frame], theirs[frame], columns: corner, rows: rows)
            #expect(inCorner >= 35, "frame \(frame): the corner against ffmpeg's, \(inCorner) dB")
            let shown = (16...44).contains(frame)
            let changed = DecodedMedia.psnr(ours[frame], without[frame], columns: corner, rows: rows)
            #expect(
                shown ? changed < 25 : changed >= 35,
                "frame \(frame): the corner \(shown ? "shows" : "does not show") the logo (\(changed) dB from plain)")
            let elsewhere = DecodedMedia.psnr(ours[frame], without[frame], columns: 0..<180, rows: 0..<160)
            #expect(elsewhere >= 35, "frame \(frame): away from the corner the picture is the clip's")
        }
    }

    @Test("--dry-run says where and when the overlay goes, and that it makes the stitch re-encode")
    func dryRun() throws {
        let clip = try Fixtures.h264Clip()
        let out = try Fixtures.scratchDirectory().appendingPathComponent("dry.mp4").path
        let result = try ReelBinary.run(
            ["stitch", clip, "-o", out, "--dry-run", "--json", "--overlay", try logo()] + flags)
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(plan["mode"] as? String == "reencode")
        #expect(plan["reason"] as? String == "re-encoding: an overlay needs every picture decoded")
        let overlay = try #require(plan["overlay"] as? [String: Any])
        #expect(overlay["x"] as? Int == 190 && overlay["y"] as? Int == 170)
        #expect(overlay["width"] as? Int == 120 && overlay["height"] as? Int == 60)
        #expect(overlay["from"] as? Double == 0.51 && overlay["until"] as? Double == 1.49)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(
        "a bad overlay flag or picture is one line and exit 2, before anything is written",
        arguments: [
            (["--overlay-opacity", "1.5"], "--overlay opacity 1.5 must be from 0 to 1"),
            (["--overlay-scale", "0"], "--overlay scale 0.0 must be from 0.01 to 16"),
            (["--overlay-position", "middle"], "--overlay-position middle: not top-left, top-right"),
            (["--overlay-time", "3-1"], "--overlay until 1.0 s must be after from (3.0 s)"),
            (["--overlay-margin=-4"], "--overlay margin -4 must be 0 or more pixels"),
            (["--overlay-scale", "5"], "does not fit in the 320x240 output"),
            (["--overlay-time", "2.5-"], "from 2.5 s is not before the output's end (2.0 s)"),
        ])
    func badOverlay(_ extra: [String], _ message: String) throws {
        let clip = try Fixtures.h264Clip()
        let out = try Fixtures.scratchDirectory().appendingPathComponent("bad.mp4").path
        let result = try ReelBinary.run(["stitch", clip, "-o", out, "--overlay", try logo()] + extra)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("an overlay that is not a still picture, or no file, is refused naming it; flags without --overlay too")
    func notAPicture() throws {
        let clip = try Fixtures.h264Clip()
        let out = try Fixtures.scratchDirectory().appendingPathComponent("bad.mp4").path
        for (picture, message) in [(clip, "not a still image"), ("/nonexistent/logo.png", "/nonexistent/logo.png")] {
            let result = try ReelBinary.run(["stitch", clip, "-o", out, "--overlay", picture])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("overlay") && result.stderr.contains(message), "\(result.stderr)")
        }
        let orphan = try ReelBinary.run(["stitch", clip, "-o", out, "--overlay-opacity", "0.5"])
        #expect(orphan.status == 2)
        #expect(orphan.stderr.contains("--overlay-opacity needs --overlay"), "\(orphan.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(
        "a pipeline's overlay is a stage: laid over, in the output's lineage as `overlay`; bad fields exit 2 before work"
    )
    func pipelineOverlay() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = folder.appendingPathComponent("lib").path
        let clip = try Fixtures.h264Clip()
        func run(_ overlay: String) throws -> ProcessResult {
            try ReelBinary.runPipeline(
                #"""
                { "version": 1, "name": "branded", "stages": [
                  { "id": "logo", "type": "fetch", "path": "\#(try logo())" },
                  { "id": "clip", "type": "fetch", "path": "\#(clip)" },
                  { "id": "ep", "type": "stitch", "video": { "preset": "ultrafast", "crf": 10 }, "inputs": ["clip"],
                    "overlay": \#(overlay) } ] }
                """#, in: folder, library: library)
        }
        let good = try run(
            #"{"stage": "logo", "position": "190,170", "scale": 1.5, "opacity": 0.6, "from": 0.51, "until": 1.49}"#)
        #expect(good.status == 0, "\(good.stderr)")
        let output = try PrintedManifest(good).output
        let path = try #require(output("ep")?["path"] as? String)
        // The same overlay the command line lays bottom-right (190,170 is where that lands): the same pixels.
        let cli = try stitch([clip], ["--overlay", try logo()] + flags, name: "cli.mp4")
        let (ours, theirs) = (try DecodedMedia.yuvFrames(path), try DecodedMedia.yuvFrames(cli))
        #expect(ours.count == 60 && theirs.count == 60)
        for frame in [10, 30, 50] where frame < min(ours.count, theirs.count) {
            #expect(DecodedMedia.psnr(ours[frame], theirs[frame]) >= 45, "frame \(frame)")
        }
        let itemID = try #require(output("ep")?["item_id"] as? String)
        let logoID = try #require(output("logo")?["item_id"] as? String)
        let lineage = try Shell.run(
            "sqlite3",
            [
                library + "/catalog.sqlite",
                "SELECT input_id, role FROM lineage WHERE item_id = '\(itemID)' ORDER BY role",
            ])
        #expect(lineage.stdout.contains("\(logoID)|overlay"), "\(lineage.stdout)")
        #expect(lineage.stdout.contains("|input"), "\(lineage.stdout)")

        let misplaced = try run(#"{"stage": "logo", "position": "300,10"}"#)
        #expect(misplaced.status == 2)
        #expect(misplaced.stderr.contains(#"stages[2].overlay (stage "ep")"#), "\(misplaced.stderr)")
        #expect(misplaced.stderr.contains("does not fit in the 320x240 output"), "\(misplaced.stderr)")
        let unknown = try run(#"{"stage": "logo", "alpha": 0.5}"#)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("alpha"), "\(unknown.stderr)")
        let faint = try run(#"{"stage": "logo", "opacity": 2}"#)
        #expect(faint.status == 2)
        #expect(faint.stderr.contains("opacity 2.0 must be from 0 to 1"), "\(faint.stderr)")
        let missing = try run(#"{"position": "center"}"#)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains(#"overlay (stage "ep"): missing required field "stage""#), "\(missing.stderr)")
    }
}
