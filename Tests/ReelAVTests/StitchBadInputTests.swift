import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Stitch bad input")
struct StitchBadInputTests {
    /// Files in `folder`, hidden ones included.
    private func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
    }

    @Test("no inputs is an error")
    func noInputs() throws {
        let folder = try Fixtures.scratchDirectory()
        #expect(throws: StitchError.noInputs) {
            try Stitcher.stitch(inputs: [], to: folder.appendingPathComponent("out.mp4").path)
        }
        #expect(try entries(folder).isEmpty)
    }

    @Test("a corrupt input is named by position and path, and nothing is left behind", arguments: [false, true])
    func corrupt(reencode: Bool) throws {
        let folder = try Fixtures.scratchDirectory()
        let bad = try Fixtures.corruptMP4()
        let good = try Fixtures.h264Clip()
        do {
            _ = try Stitcher.stitch(
                inputs: [good, bad], to: folder.appendingPathComponent("out.mp4").path,
                options: StitchOptions(mode: reencode ? .reencode : .auto))
            Issue.record("a corrupt input was accepted")
        } catch {
            guard case .input(let position, let path, _) = error else { throw error }
            #expect(position == 2)
            #expect(path == bad)
            #expect("\(error)".hasPrefix("input 2 (\(bad)): "))
        }
        #expect(try entries(folder).isEmpty)
    }

    @Test("a truncated input is an error naming it", arguments: ["index at end", "index at front"])
    func truncated(kind: String) throws {
        let folder = try Fixtures.scratchDirectory()
        let bad = kind == "index at end" ? try Fixtures.truncatedMP4() : try Fixtures.truncatedFaststartMP4()
        let good = try Fixtures.h264Clip()
        for mode in [StitchMode.auto, .reencode] {
            do {
                _ = try Stitcher.stitch(
                    inputs: [good, bad], to: folder.appendingPathComponent("out.mp4").path,
                    options: StitchOptions(mode: mode))
                Issue.record("a truncated input was accepted (\(mode))")
            } catch {
                guard case .input(let position, let path, _) = error else { throw error }
                #expect(position == 2)
                #expect(path == bad)
            }
        }
        #expect(try entries(folder).isEmpty)
    }

    @Test("an input without video is an error naming it")
    func noVideo() throws {
        let folder = try Fixtures.scratchDirectory()
        let audio = try Fixtures.audioOnly()
        #expect(throws: StitchError.input(position: 1, path: audio, cause: "no video stream")) {
            try Stitcher.stitch(
                inputs: [audio, try Fixtures.h264Clip()], to: folder.appendingPathComponent("out.mp4").path)
        }
        #expect(try entries(folder).isEmpty)
    }

    @Test("copy of incompatible inputs names the first mismatch and writes nothing")
    func copyIncompatible() throws {
        let folder = try Fixtures.scratchDirectory()
        let other = try Fixtures.h264Clip(sampleRate: 44100)
        let good = try Fixtures.h264Clip()
        do {
            _ = try Stitcher.stitch(
                inputs: [good, other], to: folder.appendingPathComponent("out.mp4").path,
                options: StitchOptions(mode: .copy))
            Issue.record("incompatible inputs were copied")
        } catch {
            guard case .cannotCopy(let reason) = error else { throw error }
            #expect(reason.contains("44100 Hz"))
        }
        #expect(try entries(folder).isEmpty)
    }

    @Test("an unwritable output is an error and leaves nothing behind")
    func unwritable() throws {
        let folder = try Fixtures.scratchDirectory()
        let missing = folder.appendingPathComponent("no/such/folder/out.mp4").path
        #expect {
            try Stitcher.stitch(inputs: [try Fixtures.h264Clip()], to: missing)
        } throws: { error in
            guard case .output(let path, _) = error as? StitchError else { return false }
            return path == missing
        }
        #expect(try entries(folder).isEmpty)
    }
}
