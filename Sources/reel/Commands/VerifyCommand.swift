import ArgumentParser
import Foundation
import ReelAV
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

    @Flag(help: "Print the checks as JSON.")
    var json = false

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
        if json {
            try printJSON(VerifyReport(path: file, ok: ok, checks: results))
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
            printError("reel verify: \(file): \(results.filter { !$0.ok }.count) of \(results.count) checks failed")
            throw CommandFailed()
        }
    }
}

/// `reel verify --json` output.
private struct VerifyReport: Encodable {
    var path: String
    var ok: Bool
    var checks: [CheckResult]
}
