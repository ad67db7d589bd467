import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// A WebVTT file read the way a player reads it: header, then cues of `start --> end` and `file#xywh=x,y,w,h`.
struct ParsedCue: Equatable {
    var start: Double
    var end: Double
    var file: String
    var rect: [Int]
}

func parseWebVTT(_ text: String) throws -> [ParsedCue] {
    let blocks = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    try #require(blocks.first == "WEBVTT")
    func seconds(_ stamp: String) throws -> Double {
        let parts = stamp.split(separator: ":")
        try #require(parts.count == 3 && stamp.count == 12, "timestamp \(stamp) is HH:MM:SS.mmm")
        return try #require(Double(parts[0])) * 3600 + #require(Double(parts[1])) * 60 + #require(Double(parts[2]))
    }
    return try blocks.dropFirst().filter { !$0.isEmpty }.map { block in
        let lines = block.split(separator: "\n").map(String.init)
        let timing = try #require(lines.first { $0.contains("-->") })
        let times = timing.components(separatedBy: " --> ")
        let payload = try #require(lines.last)
        let pieces = payload.components(separatedBy: "#xywh=")
        try #require(pieces.count == 2)
        let rect = pieces[1].split(separator: ",").compactMap { Int($0) }
        try #require(rect.count == 4)
        return ParsedCue(start: try seconds(times[0]), end: try seconds(times[1]), file: pieces[0], rect: rect)
    }
}

@Suite("Sprite sheets and their WebVTT index")
struct ThumbnailSpriteTests {
    /// Checks the index against the sheets on disk and the clip's duration (ffprobe).
    func checkIndex(_ result: ThumbnailResult, clip: String, folder: URL) throws -> [ParsedCue] {
        let vtt = try #require(result.vtt)
        let cues = try parseWebVTT(try String(contentsOfFile: vtt, encoding: .utf8))
        let duration = try #require(Double(try FFprobeReport.of(clip).format.duration ?? ""))
        try #require(!cues.isEmpty)
        #expect(cues.first?.start == 0)
        #expect(abs((cues.last?.end ?? 0) - duration) < 0.0015, "covers the whole clip")
        for (previous, next) in zip(cues, cues.dropFirst()) {
            #expect(previous.end == next.start, "back to back at \(previous.end)")
        }
        for cue in cues { #expect(cue.end > cue.start) }
        var sheets: [String: RGBPicture] = [:]
        for cue in cues {
            let path = folder.appendingPathComponent(cue.file).path
            if sheets[cue.file] == nil { sheets[cue.file] = try RGBPicture.decode(path) }
            let sheet = try #require(sheets[cue.file])
            #expect(cue.rect[0] >= 0 && cue.rect[1] >= 0 && cue.rect[2] > 0 && cue.rect[3] > 0)
            #expect(cue.rect[0] + cue.rect[2] <= sheet.width && cue.rect[1] + cue.rect[3] <= sheet.height)
        }
        return cues
    }

    @Test("5x5 over the whole clip: one sheet of 25 tiles of 160x120, keyframes only")
    func wholeClip() throws {
        let clip = try Fixtures.tenSeconds()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("sheet.jpg").path
        let result = try SpriteSheet.make(SpriteRequest(input: clip, output: output, columns: 5, rows: 5))
        let cues = try checkIndex(result, clip: clip, folder: folder)
        #expect(cues.count == 25)
        #expect(Set(cues.map(\.file)) == ["sheet.jpg"])
        let sheet = try RGBPicture.decode(output)
        #expect(sheet.width == 5 * 160 && sheet.height == 5 * 120)
        #expect(result.vtt == folder.appendingPathComponent("sheet.vtt").path)
    }

    @Test("more tiles than fit: numbered sheets, the last one trimmed to its rows")
    func severalSheets() throws {
        let clip = try Fixtures.tenSeconds()
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("scrub.png").path
        let result = try SpriteSheet.make(
            SpriteRequest(input: clip, output: output, every: 0.5, columns: 4, rows: 2, size: ThumbnailSize(width: 80)))
        let cues = try checkIndex(result, clip: clip, folder: folder)
        #expect(cues.count == 20)
        #expect(cues.map(\.file).filter { $0 == "scrub-003.png" }.count == 4)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["scrub-001.png", "scrub-002.png", "scrub-003.png", "scrub.vtt"])
        let first = try RGBPicture.decode(folder.appendingPathComponent("scrub-001.png").path)
        let last = try RGBPicture.decode(folder.appendingPathComponent("scrub-003.png").path)
        #expect(first.width == 320 && first.height == 120)
        #expect(last.width == 320 && last.height == 60)
    }

    /// The grey-levels frame index each tile of `result` shows, read from the sheet by ffmpeg.
    func tileIndices(_ result: ThumbnailResult) throws -> [(start: Double, index: Int)] {
        let sheet = try RGBPicture.decode(try #require(result.outputs.first).path)
        return try #require(result.tiles).map { tile in
            var sum = 0
            for y in tile.y..<(tile.y + tile.height) {
                for x in tile.x..<(tile.x + tile.width) { sum += Int(sheet.bytes[(y * sheet.width + x) * 3]) }
            }
            let mean = Double(sum) / Double(tile.width * tile.height)
            return (tile.start, Int((mean * 219 / 255 / 3).rounded()))
        }
    }

    @Test("a dense sheet (interval below the GOP) shows the first frame reaching each cue's start")
    func denseTiles() throws {
        let output = try Fixtures.scratchDirectory().appendingPathComponent("dense.png").path
        let result = try SpriteSheet.make(
            SpriteRequest(
                input: try Fixtures.greyLevels(), output: output, every: 0.25, columns: 12,
                size: ThumbnailSize(width: 16, height: 12)))
        let tiles = try tileIndices(result)
        #expect(tiles.count == 12)
        for tile in tiles {
            #expect(tile.index == expectedFrame(at: tile.start, rate: Fixtures.greyLevelsRate), "tile at \(tile.start)")
        }
    }

    @Test("a sparse sheet (interval at least the GOP) shows the keyframe at or before each cue's start")
    func sparseTiles() throws {
        let output = try Fixtures.scratchDirectory().appendingPathComponent("sparse.png").path
        let result = try SpriteSheet.make(
            SpriteRequest(
                input: try Fixtures.greyLevels(), output: output, every: 1.5, columns: 2,
                size: ThumbnailSize(width: 16, height: 12)))
        // The recipe puts a keyframe every 20 frames (1 s): tiles at 0 s and 1.5 s show frames 0 and 20.
        #expect(try tileIndices(result).map(\.index) == [0, 20])
    }

    @Test("tiles of a clip tagged 90° are portrait, turned like ffmpeg turns them")
    func rotatedTiles() throws {
        let clip = try Fixtures.rotated(clockwise: 90)
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("turned.png").path
        let result = try SpriteSheet.make(
            SpriteRequest(input: clip, output: output, every: 1, columns: 2, size: ThumbnailSize(width: 90)))
        let cues = try checkIndex(result, clip: clip, folder: folder)
        #expect(cues.map(\.rect) == [[0, 0, 90, 160], [90, 0, 90, 160]])
        let sheet = try RGBPicture.decode(output)
        #expect(sheet.width == 180 && sheet.height == 160)

        let oracle = folder.appendingPathComponent("ffmpeg.png").path
        try Shell.ffmpeg(["-i", clip, "-frames:v", "1", "-vf", "scale=90:160", oracle])
        let reference = try RGBPicture.decode(oracle)
        var firstTile = [UInt8]()
        for row in 0..<160 { firstTile += sheet.bytes[(row * 180 * 3)..<(row * 180 * 3 + 90 * 3)] }
        let tile = RGBPicture(width: 90, height: 160, bytes: firstTile)
        #expect(tile.difference(from: reference) < 10)
    }

    @Test("WebVTT timestamps are HH:MM:SS.mmm")
    func timestamps() {
        #expect(WebVTT.timestamp(0) == "00:00:00.000")
        #expect(WebVTT.timestamp(3725.5) == "01:02:05.500")
        #expect(WebVTT.timestamp(59.9999) == "00:01:00.000")
    }
}
