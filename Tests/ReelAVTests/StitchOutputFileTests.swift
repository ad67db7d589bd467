import Foundation
import ReelAV
import ReelTestSupport
import Testing

@Suite("Stitch output file")
struct StitchOutputFileTests {
    @Test("an output dropped before finish() leaves nothing behind, before or after its header")
    func droppedLeavesNothing() throws {
        let folder = try Fixtures.scratchDirectory()
        let path = folder.appendingPathComponent("out.mp4").path
        do {
            let output = try OutputFile(path: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)
            _ = output
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        do {
            let input = try InputFile(path: try Fixtures.h264Clip())
            let output = try OutputFile(path: path)
            try output.addStream(copying: try input.requireStream(.video))
            try output.writeHeader(options: ["movflags": "+faststart"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a finished stitch leaves exactly its output in the folder, under its name")
    func finishRenames() throws {
        let folder = try Fixtures.scratchDirectory()
        let path = folder.appendingPathComponent("out.mp4").path
        let input = try Fixtures.h264Clip()
        _ = try Stitcher.stitch(inputs: [input], to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.mp4"])
        let copied = try FrameMD5.of(path, ["-map", "0:v"]).map(\.md5)
        #expect(copied == (try FrameMD5.of(input, ["-map", "0:v"]).map(\.md5)))
    }
}
