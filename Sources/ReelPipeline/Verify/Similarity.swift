import Foundation
import ReelAV

/// The thresholds of a perceptual comparison: `reel verify --min-ssim/--min-psnr/--max-av-offset-ms/
/// --max-audio-difference-db` and an
/// expectation's `similar_to` take them, and both ask ``problems`` for the one set of rules.
public struct SimilarityThresholds: Sendable, Equatable {
    /// The lowest SSIM (all planes, libavfilter's `All`) any frame may have.
    public var ssim: Double
    /// The lowest PSNR in dB any plane (luma or chroma) of any frame may have.
    public var psnr: Double
    /// The largest A/V offset between the two files, in milliseconds.
    public var avOffsetMilliseconds: Double
    /// The largest RMS difference between the two files' audio, once aligned by the offset, in dB relative to the
    /// reference's RMS (-6: the difference may carry a quarter of the reference's power). Re-encoding noise with
    /// AAC costs about -12 dB, so the default catches a missing, replaced or much louder or quieter track rather
    /// than codec loss; music and speech re-encode far below it.
    public var audioDifferenceDecibels: Double

    /// The defaults: SSIM 0.98, PSNR 35 dB, A/V offset 20 ms, audio difference -6 dB.
    public static let defaults = SimilarityThresholds(
        ssim: 0.98, psnr: 35, avOffsetMilliseconds: 20, audioDifferenceDecibels: -6)
    /// The values each threshold takes.
    public static let ssimRange = 0.0...1.0
    public static let psnrRange = 0.0...100.0
    public static let avOffsetRange = 0.0...500.0
    public static let audioDifferenceRange = -100.0...0.0

    public init(ssim: Double, psnr: Double, avOffsetMilliseconds: Double, audioDifferenceDecibels: Double) {
        self.ssim = ssim
        self.psnr = psnr
        self.avOffsetMilliseconds = avOffsetMilliseconds
        self.audioDifferenceDecibels = audioDifferenceDecibels
    }

    /// A threshold a rule is about.
    public enum Field: String, Sendable, CaseIterable { case ssim, psnr, avOffset, audioDifference }

    /// Every rule broken, as (field, what is wrong without the field's name).
    public var problems: [(field: Field, message: String)] {
        var problems: [(Field, String)] = []
        if !Self.ssimRange.contains(ssim) { problems.append((.ssim, "\(format(ssim)) must be from 0 to 1")) }
        if !Self.psnrRange.contains(psnr) { problems.append((.psnr, "\(format(psnr)) must be from 0 to 100 dB")) }
        if !Self.avOffsetRange.contains(avOffsetMilliseconds) {
            problems.append((.avOffset, "\(format(avOffsetMilliseconds)) must be from 0 to 500 ms"))
        }
        if !Self.audioDifferenceRange.contains(audioDifferenceDecibels) {
            problems.append((.audioDifference, "\(format(audioDifferenceDecibels)) must be from -100 to 0 dB"))
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

    /// The results, each failed one ending `; see <picture> and <plot>` when the pictures were written.
    public var resultsNamingPictures: [CheckResult] {
        guard !pictures.isEmpty else { return results }
        return results.map { result in
            var named = result
            if !result.ok { named.actual += "; see \(pictures.joined(separator: " and "))" }
            return named
        }
    }
}

extension Verifier {
    /// Compares `path` with `similarity.reference` perceptually: sizes, frames aligned by time (a frame only one
    /// file shows is named as dropped or inserted), SSIM and PSNR per frame against the thresholds (the worst frame
    /// named, and when it shows a neighbouring reference frame, named as duplicated or shifted; a constant shift of
    /// every frame is one `video.shift` finding instead), the audio's offset and its difference once aligned. When a check fails and `pictures` names a folder, the difference picture and the SSIM plot are
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
        let worstSSIM = comparison.pairs.map(\.scores.ssimAll).min() ?? 1
        let shift =
            comparison.unmatched.isEmpty && worstSSIM >= limits.ssim
            ? nil : try comparison.constantShift(of: path, reference: similarity.reference)
        if let shift {
            // Every frame off by the same amount: one finding, not a dropped frame at one end, an inserted one at
            // the other and a low score for every pair between.
            let milliseconds = Double(shift) * comparison.referenceFrameInterval * 1000
            add(
                "video.shift", "no shift",
                "output is shifted by \(shift > 0 ? "+" : "")\(shift) frame\(abs(shift) == 1 ? "" : "s")"
                    + " (\(String(format: "%+.1f", milliseconds)) ms)", false)
        }
        for unmatched in comparison.unmatched.prefix(shift == nil ? 5 : 0) {
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
        if shift == nil, let worst = comparison.pairs.min(by: { $0.scores.ssimAll < $1.scores.ssimAll }) {
            let mean = comparison.pairs.map(\.scores.ssimAll).reduce(0, +) / Double(comparison.pairs.count)
            let ok = worst.scores.ssimAll >= limits.ssim
            add(
                "ssim", "≥ \(format(limits.ssim))",
                "mean \(fixed(mean, 4)), worst \(fixed(worst.scores.ssimAll, 4)) at \(frameName(worst))"
                    + (ok ? "" : try neighbourNote(worst, path, similarity.reference)), ok)
        }
        if shift == nil, let worst = comparison.pairs.min(by: { $0.scores.worstPSNR < $1.scores.worstPSNR }) {
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
            let difference = audio.rmsDifference
            add(
                "audio.difference", "≤ \(format(limits.audioDifferenceDecibels)) dB",
                difference.isInfinite ? "none (identical samples)" : "\(fixed(difference, 1)) dB RMS",
                difference <= limits.audioDifferenceDecibels)
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
