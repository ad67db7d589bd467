import Dispatch
import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Cancellation")
struct CancellationTests {
    /// A minute of 640x360 at 30 fps: long enough that a re-encode takes seconds, not a blink.
    static func longClip() throws -> String {
        try Fixtures.h264Clip(source: "testsrc", seconds: 60, size: "640x360")
    }

    @Test("a flag set 0.3 s into a re-encode stops it with .cancelled, well short of the end, leaving no file")
    func reencode() throws {
        let clip = try Self.longClip()
        let folder = try Fixtures.scratchDirectory()
        let flag = CancellationFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.cancel() }
        var reached = 0.0
        var total = 0.0
        do {
            _ = try Stitcher.stitch(
                inputs: [clip], to: folder.appendingPathComponent("long.mp4").path,
                options: StitchOptions(mode: .reencode), cancellation: flag,
                progress: { progress in
                    reached = max(reached, progress.seconds)
                    total = progress.totalSeconds
                })
            Issue.record("the stitch finished although it was cancelled")
        } catch {
            #expect(error == .cancelled)
            #expect(error.description == "cancelled")
        }
        #expect(total == 0 || abs(total - 60) < 0.5)
        #expect(reached < 30, "stopped at \(reached) s of 60")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a flag set during a copy stops it between packets with .cancelled, leaving no file")
    func copy() throws {
        let clip = try Self.longClip()
        let folder = try Fixtures.scratchDirectory()
        let flag = CancellationFlag()
        var reached = 0.0
        do {
            _ = try Stitcher.stitch(
                inputs: [clip, clip], to: folder.appendingPathComponent("twice.mp4").path,
                options: StitchOptions(mode: .copy), cancellation: flag,
                progress: { progress in
                    reached = max(reached, progress.seconds)
                    if progress.seconds >= 5 { flag.cancel() }
                })
            Issue.record("the stitch finished although it was cancelled")
        } catch {
            #expect(error == .cancelled)
        }
        #expect(reached >= 5 && reached < 10, "stopped at \(reached) s of 120")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a stitch never started when the flag is already set, and a nil flag changes nothing")
    func alreadySet() throws {
        let clip = try Fixtures.h264Clip()
        let folder = try Fixtures.scratchDirectory()
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: StitchError.cancelled) {
            try Stitcher.stitch(inputs: [clip], to: folder.appendingPathComponent("a.mp4").path, cancellation: flag)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let result = try Stitcher.stitch(inputs: [clip], to: folder.appendingPathComponent("b.mp4").path)
        #expect(result.mode == .copy)
    }

    @Test("libav's interrupt callback reads the flag: the trailer write of a cancelled output stops, nothing left")
    func interruptCallback() throws {
        let folder = try Fixtures.scratchDirectory()
        let flag = CancellationFlag()
        do {
            let input = try InputFile(path: try Fixtures.h264Clip())
            let output = try OutputFile(path: folder.appendingPathComponent("out.mp4").path, cancellation: flag)
            try output.addStream(copying: try input.requireStream(.video))
            try output.writeHeader()
            flag.cancel()
            #expect(throws: AVError.cancelled) { try output.finish() }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a thumbnail, a sprite sheet and frame checksums stop with .cancelled once the flag is set")
    func thumbnailAndChecksums() throws {
        let clip = try Fixtures.h264Clip()
        let folder = try Fixtures.scratchDirectory()
        let flag = CancellationFlag()
        flag.cancel()
        let request = ThumbnailRequest(input: clip, output: folder.appendingPathComponent("t.jpg").path, at: .best)
        #expect(throws: ThumbnailError.media(.cancelled)) { try Thumbnailer.thumbnail(request, cancellation: flag) }
        let sprite = SpriteRequest(input: clip, output: folder.appendingPathComponent("sheet.jpg").path, every: 0.1)
        #expect(throws: ThumbnailError.media(.cancelled)) { try SpriteSheet.make(sprite, cancellation: flag) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let open = CancellationFlag()
        let file = try InputFile(path: clip, cancellation: open)
        open.cancel()
        #expect(throws: AVError.cancelled) { try file.frameChecksums() }
    }
}
