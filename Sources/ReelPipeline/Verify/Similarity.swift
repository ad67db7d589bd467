import Foundation
import ReelAV

/// The thresholds of a perceptual comparison: `reel verify --min-ssim/--min-psnr/--max-offset-ms` and an
/// expectation's `similar_to` take them, and both ask ``problems`` for the one set of rules.
public struct SimilarityThresholds: Sendable, Equatable {
    /// The lowest SSIM (all planes, libavfilter's `All`) any frame may have.
    public var ssim: Double
    /// The lowest PSNR in dB any plane (luma or chroma) of any frame may have.
    public var psnr: Double
    /// The largest A/V offset between the two files, in milliseconds.
    public var avOffsetMilliseconds: Double

    /// The defaults: SSIM 0.98, PSNR 35 dB, A/V offset 20 ms.
    public static let defaults = SimilarityThresholds(ssim: 0.98, psnr: 35, avOffsetMilliseconds: 20)
    /// The values each threshold takes.
    public static let ssimRange = 0.0...1.0
    public static let psnrRange = 0.0...100.0
    public static let avOffsetRange = 0.0...500.0

    public init(ssim: Double, psnr: Double, avOffsetMilliseconds: Double) {
        self.ssim = ssim
        self.psnr = psnr
        self.avOffsetMilliseconds = avOffsetMilliseconds
    }

    /// A threshold a rule is about.
    public enum Field: String, Sendable, CaseIterable { case ssim, psnr, avOffset }

    /// Every rule broken, as (field, what is wrong without the field's name).
    public var problems: [(field: Field, message: String)] {
        var problems: [(Field, String)] = []
        if !Self.ssimRange.contains(ssim) { problems.append((.ssim, "\(format(ssim)) must be from 0 to 1")) }
        if !Self.psnrRange.contains(psnr) { problems.append((.psnr, "\(format(psnr)) must be from 0 to 100 dB")) }
        if !Self.avOffsetRange.contains(avOffsetMilliseconds) {
            problems.append((.avOffset, "\(format(avOffsetMilliseconds)) must be from 0 to 500 ms"))
        }
        return problems
    }
}

/// An expectation's `similar_to`: a reference file (absolute) and the thresholds to meet against it.
public struct Similarity: Sendable, Equatable {
    public var reference: String
    public var thresholds: SimilarityThresholds

    public init(reference: String, thresholds: SimilarityThresholds = .defaults) {
        self.reference = reference
        self.thresholds = thresholds
    }
}

/// A perceptual comparison and the checks it passed or failed.
public struct SimilarityReport: Sendable {
    public var comparison: MediaComparison
    public var results: [CheckResult]
    /// The difference picture and the SSIM plot, written when a check failed and a folder was given.
    public var pictures: [String]
}

extension Verifier {
    /// Compares `path` with `similarity.reference` perceptually: sizes, frames aligned by time (a frame only one
    /// file shows is named as dropped or inserted), SSIM and PSNR per frame against the thresholds (the worst frame
    /// named, and when it shows a neighbouring reference frame, named as duplicated or shifted), and the audio's
    /// offset. When a check fails and `pictures` names a folder, the difference picture and the SSIM plot are
    /// written there (``SimilarityReport/pictures``).
    public static func check(
        _ path: String, similarTo similarity: Similarity, stage: String = "", pictures: String? = nil,
        cancellation: CancellationFlag? = nil
    ) throws -> SimilarityReport {
        let comparison = try MediaComparison.compare(path, reference: similarity.reference, cancellation: cancellation)
        let limits = similarity.thresholds
        var results: [CheckResult] = []
        func add(_ check: String, _ expected: String, _ actual: String, _ ok: Bool) {
            results.append(CheckResult(stage: stage, check: check, expected: expected, actual: actual, ok: ok))
        }
        add(
            "video.size", comparison.referenceSize.description, comparison.size.description,
            comparison.size == comparison.referenceSize)
        add(
            "video frames", "\(comparison.referenceFrameCount)", "\(comparison.frameCount)",
            comparison.frameCount == comparison.referenceFrameCount)
        for unmatched in comparison.unmatched.prefix(5) {
            switch unmatched {
            case .onlyInOutput(let frame, let time):
                add(
                    "frame \(frame) at \(seconds(time))", "a reference frame at this time",
                    "only in the output "
                        + "(inserted or duplicated)", false)
            case .onlyInReference(let frame, let time):
                add("reference frame \(frame) at \(seconds(time))", "in the output", "missing (dropped)", false)
            }
        }
        if let worst = comparison.pairs.min(by: { $0.scores.ssimAll < $1.scores.ssimAll }) {
            let mean = comparison.pairs.map(\.scores.ssimAll).reduce(0, +) / Double(comparison.pairs.count)
            let ok = worst.scores.ssimAll >= limits.ssim
            add(
                "ssim", "≥ \(format(limits.ssim))",
                "mean \(fixed(mean, 4)), worst \(fixed(worst.scores.ssimAll, 4)) at \(frameName(worst))"
                    + (ok ? "" : try neighbourNote(worst, path, similarity.reference)), ok)
        }
        if let worst = comparison.pairs.min(by: { $0.scores.worstPSNR < $1.scores.worstPSNR }) {
            let ok = worst.scores.worstPSNR >= limits.psnr
            add(
                "psnr", "≥ \(format(limits.psnr)) dB",
                "luma mean \(decibels(comparison.meanPSNR(\.mseY))), worst plane \(decibels(worst.scores.worstPSNR))"
                    + " at \(frameName(worst))" + (ok ? "" : try neighbourNote(worst, path, similarity.reference)), ok)
        }
        if comparison.hasAudio != comparison.referenceHasAudio {
            add(
                "audio", comparison.referenceHasAudio ? "present" : "absent",
                comparison.hasAudio ? "present" : "absent", false)
        }
        if let audio = comparison.audio {
            let limit = limits.avOffsetMilliseconds
            if let offset = audio.offset {
                let milliseconds = offset * 1000
                let direction =
                    milliseconds > 0 ? " (output audio late)" : milliseconds < 0 ? " (output audio early)" : ""
                add(
                    "audio.offset", "within ±\(format(limit)) ms", "\(fixed(milliseconds, 1)) ms\(direction)",
                    abs(milliseconds) <= limit)
            } else {
                add("audio.offset", "within ±\(format(limit)) ms", "not measurable (silence)", true)
            }
        }
        var written: [String] = []
        if let pictures, results.contains(where: { !$0.ok }), comparison.size == comparison.referenceSize {
            written = try SimilarityPictures.write(
                comparison, output: path, reference: similarity.reference, thresholds: limits, in: pictures)
        }
        return SimilarityReport(comparison: comparison, results: results, pictures: written)
    }

    private static func frameName(_ pair: MediaComparison.Pair) -> String {
        "frame \(pair.frame) (\(seconds(pair.time)))"
    }

    /// `, shows reference frame N (duplicated or shifted)` when a neighbouring reference frame is a closer match.
    private static func neighbourNote(_ pair: MediaComparison.Pair, _ path: String, _ reference: String) throws
        -> String
    {
        let candidates = [pair.referenceFrame - 1, pair.referenceFrame, pair.referenceFrame + 1].filter { $0 >= 0 }
        let closest = try MediaComparison.closestReferenceFrame(
            to: pair.frame, of: path, among: candidates, in: reference)
        guard let closest, closest != pair.referenceFrame else { return "" }
        return ", which shows reference frame \(closest) instead of \(pair.referenceFrame) (duplicated or shifted)"
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    private static func decibels(_ value: Double) -> String {
        value.isInfinite ? "inf (identical)" : String(format: "%.2f dB", value)
    }
}
