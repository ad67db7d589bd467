import Foundation
import ReelTestSupport
import Testing

/// Runs `reel stitch INPUTS FLAGS -o OUT` in an empty folder and expects it refused: exit `status`, one line
/// containing `message`, and nothing written to the folder.
func expectStitchRefused(
    _ inputs: [String], _ flags: [String], status: Int32 = 2, message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let folder = try Fixtures.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("refused.mp4").path
    let result = try ReelBinary.run(["stitch"] + inputs + flags + ["-o", out])
    #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.split(separator: "\n").count == 1, "one line", sourceLocation: sourceLocation)
    #expect(
        try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written",
        sourceLocation: sourceLocation)
}
