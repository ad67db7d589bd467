import Foundation
import ReelTestSupport
import Testing

@Suite("stitch music bed: a sound mixed under the clips at its volume, with fades, once or looped")
struct StitchMusicTests {
    /// A 1 s 880 Hz tone as stereo AAC in M4A.
    private func bed() throws -> String {
        try Fixtures.make(
            "music-bed-880", ext: "m4a",
            [
                "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000:duration=1", "-ac", "2", "-c:a", "aac",
                "-b:a", "192k",
            ])
    }

    private func stitch(_ inputs: [String], _ flags: [String], name: String) throws -> String {
        let out = try Fixtures.scratchDirectory().appendingPathComponent(name).path
        let result = try ReelBinary.run(["stitch"] + inputs + flags + ["-o", out, "--preset", "ultrafast"])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    @Test("under two silent clips: the bed at its volume while it lasts, then silence; looped, it carries on")
    func onceAndLooped() throws {
        let silent = try Fixtures.h264Clip(audio: false)
        let level = try DecodedMedia.rmsLevel(try bed(), from: 0.2, to: 0.8)
        let once = try stitch([silent, silent], ["--music", try bed(), "--music-volume", "-6"], name: "once.mp4")
        #expect(abs(try DecodedMedia.rmsLevel(once, from: 0.2, to: 0.8) - (level - 6)) <= 0.5)
        #expect(try DecodedMedia.rmsLevel(once, from: 2.2, to: 2.8) < -60, "after the bed ends: silence")
        let looped = try stitch(
            [silent, silent], ["--music", try bed(), "--music-volume=-6", "--music-loop"], name: "looped.mp4")
        for start in [1.2, 2.2, 3.2] {
            let measured = try DecodedMedia.rmsLevel(looped, from: start, to: start + 0.6)
            #expect(abs(measured - (level - 6)) <= 0.5, "\(start) s: \(measured) dB")
        }
    }

    @Test("mixed with a clip's own tone: the two add up in power; fades take the bed in and out")
    func mixedAndFaded() throws {
        let clip = try Fixtures.h264Clip()
        let tone = try DecodedMedia.rmsLevel(clip, from: 0.2, to: 0.8)
        let music = try DecodedMedia.rmsLevel(try bed(), from: 0.2, to: 0.8)
        let mixed = try stitch([clip, clip], ["--music", try bed(), "--music-volume", "0"], name: "mixed.mp4")
        let sum = 10 * log10(pow(10, tone / 10) + pow(10, music / 10))
        #expect(abs(try DecodedMedia.rmsLevel(mixed, from: 0.2, to: 0.8) - sum) <= 0.5)
        #expect(abs(try DecodedMedia.rmsLevel(mixed, from: 2.2, to: 2.8) - tone) <= 0.5, "the bed has ended")

        let silent = try Fixtures.h264Clip(audio: false)
        let faded = try stitch(
            [silent, silent], ["--music", try bed(), "--music-loop", "--music-volume", "0", "--music-fade", "1:1"],
            name: "faded.mp4")
        let middle = try DecodedMedia.rmsLevel(faded, from: 1.5, to: 2.5)
        #expect(abs(middle - music) <= 0.5, "between the fades, the bed as it is")
        #expect(try DecodedMedia.rmsLevel(faded, from: 0, to: 0.2) < middle - 12, "fading in")
        #expect(try DecodedMedia.rmsLevel(faded, from: 3.8, to: 4.0) < middle - 12, "fading out")
    }

    @Test(
        "a bad bed or music flag is one line and exit 2, before anything is written",
        arguments: [
            (["--music", "BED", "--music-volume", "20"], "--music volume 20.0 dB must be from -60 to 12 dB"),
            (["--music-loop"], "--music-loop needs --music"),
            (["--music", "SILENT"], ": no audio stream"),
            (["--music", "BED", "--music-fade", "3:3"], "fade in 3.0 s + out 3.0 s is longer than the output (2.0 s)"),
            (["--music", "/nonexistent/bed.m4a"], "/nonexistent/bed.m4a"),
        ])
    func badMusic(_ flags: [String], _ message: String) throws {
        let out = try Fixtures.scratchDirectory().appendingPathComponent("bad.mp4").path
        let silent = try Fixtures.h264Clip(audio: false)
        let resolved = try flags.map { $0 == "BED" ? try bed() : $0 == "SILENT" ? silent : $0 }
        let result = try ReelBinary.run(["stitch", try Fixtures.h264Clip(), "-o", out] + resolved)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a pipeline's music is a stage: mixed under, in the output's lineage as `music`; bad fields exit 2")
    func pipeline() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = folder.appendingPathComponent("lib").path
        let silent = try Fixtures.h264Clip(audio: false)
        func run(_ music: String) throws -> ProcessResult {
            try ReelBinary.runPipeline(
                #"""
                { "version": 1, "name": "scored", "stages": [
                  { "id": "bed", "type": "fetch", "path": "\#(try bed())" },
                  { "id": "clip", "type": "fetch", "path": "\#(silent)" },
                  { "id": "ep", "type": "stitch", "video": { "preset": "ultrafast" }, "inputs": ["clip"],
                    "music": \#(music) } ] }
                """#, in: folder, library: library)
        }
        let good = try run(#"{"stage": "bed", "volume": -6, "loop": true}"#)
        #expect(good.status == 0, "\(good.stderr)")
        let output = try PrintedManifest(good).output
        let path = try #require(output("ep")?["path"] as? String)
        let level = try DecodedMedia.rmsLevel(try bed(), from: 0.2, to: 0.8)
        #expect(abs(try DecodedMedia.rmsLevel(path, from: 1.2, to: 1.8) - (level - 6)) <= 0.5, "looped under")
        let itemID = try #require(output("ep")?["item_id"] as? String)
        let bedID = try #require(output("bed")?["item_id"] as? String)
        let lineage = try Shell.run(
            "sqlite3", [library + "/catalog.sqlite", "SELECT input_id, role FROM lineage WHERE item_id = '\(itemID)'"])
        #expect(lineage.stdout.contains("\(bedID)|music"), "\(lineage.stdout)")
        let loud = try run(#"{"stage": "bed", "volume": 30}"#)
        #expect(loud.status == 2)
        #expect(
            loud.stderr.contains(#"stages[2].music (stage "ep"): volume 30.0 dB must be from -60"#), "\(loud.stderr)")
        let unknown = try run(#"{"stage": "bed", "gain": 1}"#)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("gain"), "\(unknown.stderr)")
    }
}
