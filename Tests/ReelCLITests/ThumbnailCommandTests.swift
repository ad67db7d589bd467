import Foundation
import ReelTestSupport
import Testing

/// What `reel thumbnail --json` prints.
struct ThumbnailJSON: Decodable {
    struct Output: Decodable {
        var path: String
        var width: Int
        var height: Int
        var at: Double
    }
    struct Tile: Decodable {
        var sheet: String
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var start: Double
        var end: Double
    }
    var outputs: [Output]
    var vtt: String?
    var columns: Int?
    var rows: Int?
    var tileWidth: Int?
    var tileHeight: Int?
    var tiles: [Tile]?
}

func decodeThumbnailJSON(_ data: Data) throws -> ThumbnailJSON {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(ThumbnailJSON.self, from: data)
}

/// A bad-input case: arguments (the output goes in a fresh folder), exit code, and words the one-line error holds.
struct BadThumbnailCase: CustomTestStringConvertible, Sendable {
    var name: String
    var clip: @Sendable () throws -> String
    var arguments: [String]
    var output: String = "out.jpg"
    var status: Int32
    var words: [String]

    var testDescription: String { name }
}

@Suite("reel thumbnail")
struct ThumbnailCommandTests {
    @Test("--json reports the path, size and chosen time of a still")
    func stillJSON() throws {
        let clip = try Fixtures.h264AAC()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("poster.jpg").path
        let run = try ReelBinary.run(["thumbnail", clip, "--at", "25%", "--width", "160", "-o", output, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try decodeThumbnailJSON(run.stdoutData)
        #expect(json.outputs.count == 1)
        #expect(json.outputs.first?.path == output)
        #expect(json.outputs.first?.width == 160 && json.outputs.first?.height == 120)
        #expect(abs((json.outputs.first?.at ?? -1) - 0.5) < 0.001, "25% of 2 s")
        #expect(json.vtt == nil)
        #expect(run.stdout.contains("\"vtt\" : null"))
        let probe = try FFprobeReport.of(output)
        #expect(probe.streams.first?.codecName == "mjpeg")
        #expect(probe.streams.first?.width == 160 && probe.streams.first?.height == 120)
    }

    @Test("--sprite --json reports the sheet, the VTT and the tile geometry")
    func spriteJSON() throws {
        let clip = try Fixtures.tenSeconds()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("scrub.jpg").path
        let run = try ReelBinary.run([
            "thumbnail", clip, "--sprite", "--every", "2", "--columns", "5", "--width", "100", "-o", output, "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try decodeThumbnailJSON(run.stdoutData)
        #expect(json.vtt == folder.appendingPathComponent("scrub.vtt").path)
        #expect(json.columns == 5 && json.rows == 1 && json.tileWidth == 100 && json.tileHeight == 76)
        #expect(json.tiles?.count == 5)
        #expect(json.tiles?.map(\.x) == [0, 100, 200, 300, 400])
        let probe = try FFprobeReport.of(output)
        #expect(probe.streams.first?.width == 500 && probe.streams.first?.height == 76)
        let vtt = try String(contentsOfFile: folder.appendingPathComponent("scrub.vtt").path, encoding: .utf8)
        #expect(vtt.hasPrefix("WEBVTT\n"))
        #expect(vtt.contains("00:00:08.000 --> 00:00:10.0"))
        #expect(vtt.contains("scrub.jpg#xywh=400,0,100,76"))
    }

    @Test("plain output: one line per image")
    func plainOutput() throws {
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("a.png").path
        let run = try ReelBinary.run(["thumbnail", try Fixtures.h264AAC(), "--at", "1", "-o", output])
        #expect(run.status == 0)
        #expect(run.stdout == "\(output)  320x240  at 1.000 s\n")
    }

    static let badCases: [BadThumbnailCase] = [
        BadThumbnailCase(
            name: "audio-only file", clip: { try Fixtures.audioOnly() }, arguments: ["--at", "1"], status: 1,
            words: ["reel thumbnail:", "no video stream"]),
        BadThumbnailCase(
            name: "truncated MP4, index at the end", clip: { try Fixtures.truncatedMP4() }, arguments: ["--at", "1"],
            status: 1, words: ["reel thumbnail:", "truncated-60.mp4"]),
        BadThumbnailCase(
            name: "truncated MP4, index at the front", clip: { try Fixtures.truncatedFaststartMP4() },
            arguments: ["--at", "1.9"], status: 1, words: ["reel thumbnail:", "truncated"]),
        BadThumbnailCase(
            name: "not media", clip: { try Fixtures.garbageMP4() }, arguments: [], status: 1,
            words: ["reel thumbnail:", "garbage.mp4"]),
        BadThumbnailCase(
            name: "--at past the end", clip: { try Fixtures.h264AAC() }, arguments: ["--at", "5"], status: 1,
            words: ["past the end", "duration 2.000 s"]),
        BadThumbnailCase(
            name: "--at negative", clip: { try Fixtures.h264AAC() }, arguments: ["--at=-1"], status: 2,
            words: ["negative"]),
        BadThumbnailCase(
            name: "--at malformed", clip: { try Fixtures.h264AAC() }, arguments: ["--at", "soon"], status: 2,
            words: ["'soon'"]),
        BadThumbnailCase(
            name: "--width 0", clip: { try Fixtures.h264AAC() }, arguments: ["--width", "0"], status: 2,
            words: ["--width 0"]),
        BadThumbnailCase(
            name: "--quality 40", clip: { try Fixtures.h264AAC() }, arguments: ["--quality", "40"], status: 2,
            words: ["--quality 40"]),
        BadThumbnailCase(
            name: "output .gif", clip: { try Fixtures.h264AAC() }, arguments: [], output: "out.gif", status: 2,
            words: ["out.gif", ".jpg"]),
        BadThumbnailCase(
            name: "sprite output .webp", clip: { try Fixtures.h264AAC() }, arguments: ["--sprite"],
            output: "sheet.webp", status: 2, words: ["sheet.webp"]),
        BadThumbnailCase(
            name: "output folder missing", clip: { try Fixtures.h264AAC() }, arguments: ["--at", "1"],
            output: "missing/out.jpg", status: 1, words: ["cannot write", "No such file or directory"]),
        BadThumbnailCase(
            name: "output folder is a file", clip: { try Fixtures.h264AAC() }, arguments: ["--sprite"],
            output: "blocker/sheet.jpg", status: 1, words: ["cannot write", "Not a directory"]),
    ]

    @Test("bad input: one line on stderr, the SPEC's exit code, no file left", arguments: badCases)
    func badInput(_ bad: BadThumbnailCase) throws {
        let folder = try Fixtures.scratchDirectory()
        try Data("x".utf8).write(to: folder.appendingPathComponent("blocker"))
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let output = folder.appendingPathComponent(bad.output).path
        let run = try ReelBinary.run(["thumbnail", try bad.clip()] + bad.arguments + ["-o", output])
        #expect(run.status == bad.status, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(run.stderr)")
        for word in bad.words { #expect(run.stderr.contains(word), "\(run.stderr)") }
        #expect(run.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
    }

    @Test("an existing image, sprite sheet or .vtt is refused before any work (exit 1) and kept; --force replaces it")
    func existingOutputs() throws {
        let clip = try Fixtures.h264AAC()
        let folder = try Fixtures.scratchDirectory()
        let kept = Data("keep me".utf8)
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func contents(_ name: String) -> Data? { FileManager.default.contents(atPath: file(name)) }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }

        try kept.write(to: URL(fileURLWithPath: file("still.jpg")))
        let still = try ReelBinary.run(["thumbnail", clip, "--at", "1", "-o", file("still.jpg")])
        #expect(still.status == 1)
        #expect(still.stderr == "reel thumbnail: \(file("still.jpg")) exists (use --force to replace it)\n")
        #expect(contents("still.jpg") == kept)
        #expect(try ReelBinary.run(["thumbnail", clip, "--at", "1", "-o", file("still.jpg"), "--force"]).status == 0)
        #expect(contents("still.jpg")?.prefix(2) == Data([0xFF, 0xD8]), "a JPEG now")

        // One sheet and its index: the index alone is enough to refuse.
        try kept.write(to: URL(fileURLWithPath: file("one.vtt")))
        let index = try ReelBinary.run(["thumbnail", clip, "--sprite", "-o", file("one.jpg")])
        #expect(index.status == 1)
        #expect(index.stderr.contains("\(file("one.vtt")) exists (use --force to replace it)"))
        #expect(contents("one.vtt") == kept && contents("one.jpg") == nil)

        // 20 tiles, 4 to a sheet: five numbered sheets; the third one is already there.
        let sprite = ["thumbnail", clip, "--sprite", "--every", "0.1", "--columns", "2", "--rows", "2"]
        try kept.write(to: URL(fileURLWithPath: file("many-003.jpg")))
        let before = try names()
        let numbered = try ReelBinary.run(sprite + ["-o", file("many.jpg")])
        #expect(numbered.status == 1)
        #expect(numbered.stderr.contains("\(file("many-003.jpg")) exists (use --force to replace it)"))
        #expect(try names() == before, "nothing written, nothing replaced")
        let forced = try ReelBinary.run(sprite + ["-o", file("many.jpg"), "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect((1...5).allSatisfy { contents("many-00\($0).jpg")?.prefix(2) == Data([0xFF, 0xD8]) })
        #expect(contents("many.vtt") != nil && contents("many-006.jpg") == nil)
    }

    @Test(
        "SIGINT or SIGTERM mid-sprite stops the work: the process ends by that signal, no sheet, .vtt or hidden file",
        arguments: [SIGINT, SIGTERM])
    func interrupted(_ signal: Int32) throws {
        let clip = try Fixtures.h264Clip(source: "testsrc", seconds: 60, size: "640x360")
        let folder = try Fixtures.scratchDirectory().path
        // Every frame of a minute of video is decoded and 600 tiles drawn: seconds of processor time, signalled half
        // a second in (or as soon as a temporary file shows up).
        let reel = try ReelProcess([
            "thumbnail", clip, "--sprite", "--every", "0.1", "--rows", "5", "--width", "640", "-o",
            folder + "/sheet.jpg",
        ])
        try #require(reel.wait(upTo: 60) { reel.cpuSeconds >= 0.5 || hasHiddenFile(in: folder) })
        try expectStopped(reel, by: signal, leavingEmpty: folder)
    }
}
