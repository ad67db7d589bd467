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
            --expect takes the fields of a pipeline's expect entry (duration, video, audio, frames, sha256, \
            checksums). --reference decodes both files and compares metadata and every frame's checksum, \
            reporting the first frame that differs. --write-checksums records per-frame checksums for a later \
            "checksums" expectation. Exit 0 when everything matches, 1 when a check fails.
            """
    )

    @Argument(help: "The media file to check.")
    var file: String

    @Option(help: "An expectations file (JSON).")
    var expect: String?

    @Option(help: "A reference media file to compare with, frame by frame.")
    var reference: String?

    @Option(help: "Write the file's per-frame checksums here.")
    var writeChecksums: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        let modes = [expect, reference, writeChecksums].compactMap { $0 }
        guard modes.count == 1 else {
            throw ValidationError("give exactly one of --expect, --reference or --write-checksums")
        }
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
            let results =
                if let expect {
                    try Verifier.check(file, against: try Expectation.load(contentsOf: expect))
                } else {
                    try Verifier.check(file, reference: reference ?? "")
                }
            try report(results)
        } catch let error as PipelineValidationError {
            throw error
        } catch let failure as CommandFailed {
            throw failure
        } catch {
            throw ReelError.failed("verify", error)
        }
    }

    private func report(_ results: [CheckResult]) throws {
        let ok = results.allSatisfy(\.ok)
        if output.json {
            try printJSON(VerifyReport(path: file, ok: ok, checks: results.map(VerifyReport.Check.init)))
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
            let failed = results.filter { !$0.ok }.count
            printError("reel verify: \(file): \(failed) of \(Plural.count(results.count, "check")) failed")
            throw CommandFailed()
        }
    }
}

/// `reel verify --json` output: each check as a run manifest's `expect` entries have it, with `stage` null (no
/// stage is checked by a standalone verify).
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

    var path: String
    var ok: Bool
    var checks: [Check]
}
