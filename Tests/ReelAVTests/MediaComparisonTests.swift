import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// ffmpeg's own per-frame scores: its `ssim` or `psnr` filter's stats file, one dictionary per frame.
private func oracleStats(_ filter: String, output: String, reference: String) throws -> [[String: Double]] {
    let stats = try Fixtures.scratchDirectory().appendingPathComponent("\(filter).log").path
    try Shell.ffmpeg([
        "-i", output, "-i", reference, "-lavfi", "[0:v][1:v]\(filter)=stats_file=\(stats)", "-f", "null", "-",
    ])
    return try String(contentsOfFile: stats, encoding: .utf8).split(separator: "\n").map { line in
        var fields: [String: Double] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: ":")
            if parts.count == 2, let value = Double(parts[1]) { fields[String(parts[0])] = value }
        }
        return fields
    }
}

/// ffmpeg's summary line for the whole clip (`SSIM Y:… All:…`, `PSNR y:… average:…`), as key → value.
private func oracleSummary(_ filter: String, output: String, reference: String) throws -> [String: Double] {
    let result = try Shell.run(
        "ffmpeg", ["-hide_banner", "-i", output, "-i", reference, "-lavfi", "[0:v][1:v]\(filter)", "-f", "null", "-"])
    let line = result.stderr.split(separator: "\n").last { $0.contains("Parsed_\(filter)") } ?? ""
    var fields: [String: Double] = [:]
    for field in line.split(separator: " ") {
        let parts = field.split(separator: ":")
        if parts.count == 2, let value = Double(parts[1]) { fields[String(parts[0])] = value }
    }
    return fields
}

@Suite("Comparing media: SSIM and PSNR in-process, frames aligned by time, audio offset")
struct MediaComparisonTests {
    @Test("per-frame SSIM and PSNR (luma and chroma) and their means agree with ffmpeg's ssim and psnr filters")
    func agreesWithFFmpeg() throws {
        let output = try Fixtures.moving(crf: 40)
        let reference = try Fixtures.moving(crf: 18)
        let comparison = try MediaComparison.compare(output, reference: reference)
        let ssim = try oracleStats("ssim", output: output, reference: reference)
        let psnr = try oracleStats("psnr", output: output, reference: reference)
        #expect(comparison.pairs.count == 50)
        #expect(ssim.count == 50)
        #expect(psnr.count == 50)
        for (pair, (expected, expectedPSNR)) in zip(comparison.pairs, zip(ssim, psnr)) {
            let scores = pair.scores
            #expect(abs(scores.ssimY - (expected["Y"] ?? -1)) < 0.001, "frame \(pair.frame) SSIM Y")
            #expect(abs(scores.ssimU - (expected["U"] ?? -1)) < 0.001, "frame \(pair.frame) SSIM U")
            #expect(abs(scores.ssimV - (expected["V"] ?? -1)) < 0.001, "frame \(pair.frame) SSIM V")
            #expect(abs(scores.ssimAll - (expected["All"] ?? -1)) < 0.001, "frame \(pair.frame) SSIM All")
            #expect(abs(scores.psnrY - (expectedPSNR["psnr_y"] ?? -1)) < 0.1, "frame \(pair.frame) PSNR Y")
            #expect(abs(scores.psnrU - (expectedPSNR["psnr_u"] ?? -1)) < 0.1, "frame \(pair.frame) PSNR U")
            #expect(abs(scores.psnrV - (expectedPSNR["psnr_v"] ?? -1)) < 0.1, "frame \(pair.frame) PSNR V")
        }
        // The scores are not trivially equal: crf 40 against crf 18 loses detail.
        #expect(comparison.pairs.allSatisfy { $0.scores.ssimAll < 0.99 })
        let ssimSummary = try oracleSummary("ssim", output: output, reference: reference)
        let psnrSummary = try oracleSummary("psnr", output: output, reference: reference)
        #expect(abs(comparison.meanSSIM(\.ssimAll) - (ssimSummary["All"] ?? -1)) < 0.001)
        #expect(abs(comparison.meanSSIM(\.ssimY) - (ssimSummary["Y"] ?? -1)) < 0.001)
        #expect(abs(comparison.meanPSNR(\.mseY) - (psnrSummary["y"] ?? -1)) < 0.1)
        #expect(abs(comparison.meanPSNR(\.mseU) - (psnrSummary["u"] ?? -1)) < 0.1)
        #expect(abs(comparison.meanPSNR(\.mseV) - (psnrSummary["v"] ?? -1)) < 0.1)
    }

    @Test("a file against itself: SSIM 1, PSNR infinite, no unmatched frames, no audio offset or difference")
    func identical() throws {
        let clip = try Fixtures.moving(crf: 30)
        let comparison = try MediaComparison.compare(clip, reference: clip)
        #expect(comparison.pairs.count == 50)
        #expect(comparison.unmatched.isEmpty)
        #expect(comparison.pairs.allSatisfy { $0.scores.ssimAll == 1 && $0.scores.psnrY.isInfinite })
        #expect(comparison.audio?.offset == 0)
        #expect(comparison.audio?.rmsDifference == -.infinity)
    }

    @Test("audio delayed by 40 ms is measured as a 40 ms offset, within 1 ms")
    func audioOffset() throws {
        let reference = try Fixtures.moving(crf: 30)
        let late = try Fixtures.derive(
            "moving-audio-late", ext: "mp4", from: reference, ["-c:v", "copy", "-af", "adelay=40:all=1", "-c:a", "aac"])
        let comparison = try MediaComparison.compare(late, reference: reference)
        let offset = try #require(comparison.audio?.offset)
        #expect(abs(offset - 0.040) <= 0.001, "offset \(offset)")
        #expect(comparison.pairs.allSatisfy { $0.scores.ssimAll == 1 })
    }

    @Test("a dropped frame is unmatched in the reference, not a low score for every later frame")
    func droppedFrame() throws {
        let reference = try Fixtures.moving(crf: 30)
        let dropped = try Fixtures.derive(
            "moving-dropped-10", ext: "mp4", from: reference,
            ["-vf", "select='not(eq(n\\,10))'", "-vsync", "passthrough", "-c:v", "libx264", "-crf", "10", "-an"])
        let comparison = try MediaComparison.compare(dropped, reference: reference)
        #expect(comparison.frameCount == 49)
        #expect(comparison.unmatched.count == 1)
        guard case .onlyInReference(let frame, let time)? = comparison.unmatched.first else {
            Issue.record("expected one reference frame missing from the output, got \(comparison.unmatched)")
            return
        }
        #expect(frame == 10)
        #expect(abs(time - 0.4) < 0.001)
        #expect(comparison.pairs.allSatisfy { $0.scores.ssimAll > 0.95 })
    }

    @Test("a file without video is refused naming the file")
    func noVideo() throws {
        let audio = try Fixtures.audioOnly()
        #expect(throws: AVError.noStream(kind: .video, file: audio)) {
            try MediaComparison.compare(audio, reference: try Fixtures.moving(crf: 30))
        }
    }
}
