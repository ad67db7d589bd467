import ArgumentParser
import Foundation
import ReelAV
import ReelLibrary
import ReelPipeline

/// `reel verify FILE (--expect E.json | --reference REF | --write-checksums OUT)`: CI checks on media outputs.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a media file against expectations, a reference file, or record its frame checksums.",
        discussion: """
            --reference compares the two files perceptually: frames aligned by time, every frame's SSIM and PSNR \
            (luma and chroma) at least --min-ssim (default 0.98) and --min-psnr (default 35 dB), a dropped or \
            inserted frame named as such, and the audio's offset at most --max-av-offset-ms (default 20). \
            --exact compares metadata and every frame's checksum instead (for runs on one machine). --expect \
            takes the fields of a pipeline's expect entry (duration, video, audio, frames, sha256, checksums, \
            similar_to). --write-checksums records per-frame checksums for a later "checksums" expectation. \
            --update writes the goldens (the reference, the checksum and similar_to files) from FILE instead of \
            checking. Exit 0 when everything matches, 1 when a check fails, 2 for invalid usage.
            """
    )

    @Argument(help: "The media file to check.")
    var file: String

    @Option(help: "An expectations file (JSON).")
    var expect: String?

    @Option(help: "A reference media file to compare with.")
    var reference: String?

    @Option(help: "Write the file's per-frame checksums here.")
    var writeChecksums: String?

    @Flag(help: "With --reference: compare metadata and every frame's checksum instead of perceptually.")
    var exact = false

    @Option(name: .customLong("min-ssim"), help: "With --reference: the lowest SSIM any frame may have, 0 to 1.")
    var minSSIM: Double = SimilarityThresholds.defaults.ssim

    @Option(
        name: .customLong("min-psnr"),
        help: "With --reference: the lowest PSNR (dB) any plane of any frame may have, 0 to 100.")
    var minPSNR: Double = SimilarityThresholds.defaults.psnr

    @Option(
        name: .customLong("max-av-offset-ms"),
        help: "With --reference: the largest audio offset between the files, in ms, 0 to 500.")
    var maxAVOffsetMs: Double = SimilarityThresholds.defaults.avOffsetMilliseconds

    @Option(
        name: .customLong("max-audio-difference-db"),
        help: ArgumentHelp(
            "With --reference: the largest RMS difference of the aligned audio, in dB of the reference, -100 to 0.",
            discussion: "Negative numbers: --max-audio-difference-db=-10."))
    var maxAudioDifferenceDB: Double = SimilarityThresholds.defaults.audioDifferenceDecibels

    @Flag(help: "Write the goldens (the reference, or the files --expect names) from FILE instead of checking.")
    var update = false

    @Option(help: "Also write the checks as a JUnit XML report here.")
    var junit: String?

    @Option(
        help: ArgumentHelp(
            "Where a failed perceptual check puts its difference picture and SSIM plot.",
            discussion: """
                For --reference and for similar_to in --expect. Default: beside the --junit report, else beside FILE.
                """))
    var pictures: String?

    @OptionGroup var output: OutputOptions

    var thresholds: SimilarityThresholds {
        SimilarityThresholds(
            ssim: minSSIM, psnr: minPSNR, avOffsetMilliseconds: maxAVOffsetMs,
            audioDifferenceDecibels: maxAudioDifferenceDB)
    }

    func validate() throws {
        let modes = [expect, reference, writeChecksums].compactMap { $0 }
        guard modes.count == 1 else {
            throw ValidationError("give exactly one of --expect, --reference or --write-checksums")
        }
        if let problem = thresholds.problems.first {
            let option =
                switch problem.field {
                case .ssim: "--min-ssim"
                case .psnr: "--min-psnr"
                case .avOffset: "--max-av-offset-ms"
                case .audioDifference: "--max-audio-difference-db"
                }
            throw ValidationError("\(option) \(problem.message)")
        }
        if exact && reference == nil { throw ValidationError("--exact needs --reference") }
        if update && writeChecksums != nil { throw ValidationError("--update needs --reference or --expect") }
    }

    func run() throws {
        do {
            if let output = writeChecksums {
                let checksums = try InputFile(path: file).frameChecksums()
                try Data(FrameChecksumFile.render(checksums).utf8).write(
                    to: URL(fileURLWithPath: output), options: .atomic)
                print("\(output): \(checksums.count) frame checksums of \(file)")
                return
            }
            if update {
                try updateGoldens()
                return
            }
            if let expect {
                let results = try Verifier.check(
                    file, against: try Expectation.load(contentsOf: expect), pictures: pictureFolder)
                try report(results, scores: nil, pictures: [])
            } else if exact {
                try report(try Verifier.check(file, reference: reference ?? ""), scores: nil, pictures: [])
            } else {
                let similarity = Similarity(reference: reference ?? "", thresholds: thresholds)
                let result = try Verifier.check(file, similarTo: similarity, pictures: pictureFolder)
                try report(result.results, scores: result.comparison, pictures: result.pictures)
            }
        } catch let error as PipelineValidationError {
            throw error
        } catch let failure as CommandFailed {
            throw failure
        } catch {
            throw ReelError.failed("verify", error)
        }
    }

    /// Where a failed perceptual check writes its pictures: `--pictures`, else beside the JUnit report, else beside
    /// the checked file.
    private var pictureFolder: String {
        pictures ?? URL(fileURLWithPath: junit ?? file).deletingLastPathComponent().path
    }

    private func updateGoldens() throws {
        let written: [String]
        if let reference {
            try Goldens.copy(file, to: reference)
            written = [reference]
        } else {
            written = try Goldens.update(try Expectation.load(contentsOf: expect ?? ""), from: file)
        }
        for path in written { print("updated \(path) from \(file)") }
        if written.isEmpty { printError("reel verify: \(expect ?? file): the expectations name no golden file") }
    }

    private func report(_ results: [CheckResult], scores: MediaComparison?, pictures: [String]) throws {
        let ok = results.allSatisfy(\.ok)
        if let junit {
            try VerifyReport.junit(path: file, results: results).write(to: junit)
        }
        if output.json {
            try printJSON(
                VerifyReport(
                    path: file, ok: ok, checks: results.map(VerifyReport.Check.init),
                    similarity: scores.map(VerifyReport.Scores.init), pictures: pictures))
        } else {
            for result in results {
                if result.ok {
                    print("ok      \(result.check): \(result.actual)")
                } else {
                    print("FAILED  \(result.check): expected \(result.expected), got \(result.actual)")
                }
            }
        }
        if !ok {
            let failed = results.filter { !$0.ok }
            let shown = pictures.isEmpty ? "" : "; see \(pictures.joined(separator: " and "))"
            printError(
                "reel verify: \(file): \(failed.count) of \(Plural.count(results.count, "check")) failed\(shown)")
            throw CommandFailed()
        }
    }
}

/// `reel verify --json` output: each check as a run manifest's `expect` entries have it, with `stage` null (no
/// stage is checked by a standalone verify), and for a perceptual comparison every score.
private struct VerifyReport: Encodable {
    struct Check: Encodable {
        var stage: String?
        var check: String
        var expected: String
        var actual: String
        var ok: Bool

        init(_ result: CheckResult) {
            stage = result.stage.isEmpty ? nil : result.stage
            check = result.check
            expected = result.expected
            actual = result.actual
            ok = result.ok
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(stage, forKey: .stage)
            try container.encode(check, forKey: .check)
            try container.encode(expected, forKey: .expected)
            try container.encode(actual, forKey: .actual)
            try container.encode(ok, forKey: .ok)
        }

        enum CodingKeys: String, CodingKey { case stage, check, expected, actual, ok }
    }

    /// Per-plane values; PSNR of identical planes is null (infinite).
    struct Planes: Encodable {
        var y: Double?
        var u: Double?
        var v: Double?
        var all: Double?

        init(_ y: Double, _ u: Double, _ v: Double, all: Double? = nil) {
            func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
            (self.y, self.u, self.v, self.all) = (finite(y), finite(u), finite(v), all.flatMap(finite))
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(y, forKey: .y)
            try container.encode(u, forKey: .u)
            try container.encode(v, forKey: .v)
            try container.encodeIfPresent(all, forKey: .all)
        }

        enum CodingKeys: String, CodingKey { case y, u, v, all }
    }

    struct Frame: Encodable {
        var frame: Int
        var referenceFrame: Int
        var time: Double
        var ssim: Planes
        var psnr: Planes

        enum CodingKeys: String, CodingKey {
            case frame, time, ssim, psnr
            case referenceFrame = "reference_frame"
        }
    }

    struct Unmatched: Encodable {
        var frame: Int
        var time: Double
        /// `output` (inserted or duplicated) or `reference` (dropped).
        var onlyIn: String

        enum CodingKeys: String, CodingKey {
            case frame, time
            case onlyIn = "only_in"
        }
    }

    struct Audio: Encodable {
        var rmsDifferenceDB: Double?
        var offsetMs: Double?
        var correlation: Double

        enum CodingKeys: String, CodingKey {
            case correlation
            case rmsDifferenceDB = "rms_difference_db"
            case offsetMs = "offset_ms"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rmsDifferenceDB, forKey: .rmsDifferenceDB)
            try container.encode(offsetMs, forKey: .offsetMs)
            try container.encode(correlation, forKey: .correlation)
        }
    }

    /// Every score of a perceptual comparison: means (SSIM averaged per frame, PSNR from the mean squared error,
    /// as ffmpeg's filters average), the worst frames, each frame, the unmatched frames and the audio.
    struct Scores: Encodable {
        var meanSSIM: Planes
        var meanPSNR: Planes
        var worstSSIM: Frame?
        var worstPSNR: Frame?
        var frames: [Frame]
        var unmatched: [Unmatched]
        var audio: Audio?

        enum CodingKeys: String, CodingKey {
            case frames, unmatched, audio
            case meanSSIM = "mean_ssim"
            case meanPSNR = "mean_psnr"
            case worstSSIM = "worst_ssim"
            case worstPSNR = "worst_psnr"
        }

        init(_ comparison: MediaComparison) {
            meanSSIM = Planes(
                comparison.meanSSIM(\.ssimY), comparison.meanSSIM(\.ssimU), comparison.meanSSIM(\.ssimV),
                all: comparison.meanSSIM(\.ssimAll))
            meanPSNR = Planes(comparison.meanPSNR(\.mseY), comparison.meanPSNR(\.mseU), comparison.meanPSNR(\.mseV))
            frames = comparison.pairs.map { pair in
                let scores = pair.scores
                return Frame(
                    frame: pair.frame, referenceFrame: pair.referenceFrame, time: pair.time,
                    ssim: Planes(scores.ssimY, scores.ssimU, scores.ssimV, all: scores.ssimAll),
                    psnr: Planes(scores.psnrY, scores.psnrU, scores.psnrV))
            }
            worstSSIM = zip(frames, comparison.pairs).min { $0.1.scores.ssimAll < $1.1.scores.ssimAll }?.0
            worstPSNR = zip(frames, comparison.pairs).min { $0.1.scores.worstPSNR < $1.1.scores.worstPSNR }?.0
            unmatched = comparison.unmatched.map { unmatched in
                switch unmatched {
                case .onlyInOutput(let frame, let time): Unmatched(frame: frame, time: time, onlyIn: "output")
                case .onlyInReference(let frame, let time): Unmatched(frame: frame, time: time, onlyIn: "reference")
                }
            }
            audio = comparison.audio.map { audio in
                Audio(
                    rmsDifferenceDB: audio.rmsDifference.isFinite ? audio.rmsDifference : nil,
                    offsetMs: audio.offset.map { $0 * 1000 }, correlation: audio.correlation)
            }
        }
    }

    var path: String
    var ok: Bool
    var checks: [Check]
    var similarity: Scores?
    /// The difference picture and SSIM plot a failed perceptual comparison wrote.
    var pictures: [String]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(ok, forKey: .ok)
        try container.encode(checks, forKey: .checks)
        try container.encodeIfPresent(similarity, forKey: .similarity)
        try container.encode(pictures, forKey: .pictures)
    }

    enum CodingKeys: String, CodingKey { case path, ok, checks, similarity, pictures }

    /// The checks as a JUnit report: one suite for the file, one case per check.
    static func junit(path: String, results: [CheckResult]) -> JUnitReport {
        let cases = results.map { result in
            JUnitReport.Case(
                name: result.check, className: "verify",
                result: result.ok
                    ? .passed
                    : .failed(
                        message: "\(result.check): expected \(result.expected), got \(result.actual)",
                        detail: "expected: \(result.expected)\nactual: \(result.actual)"))
        }
        return JUnitReport(
            name: "reel verify", suites: [JUnitReport.Suite(name: path, cases: cases, startedAt: Date())])
    }
}
