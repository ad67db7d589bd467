import ArgumentParser
import Foundation
import ReelAV
import ReelLibrary
import ReelPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A command that failed after reporting its own errors (one line each on stderr).
struct CommandFailed: Error {}

/// The one place errors become exit codes: 0 ok, 1 a stage or check failed, 2 invalid usage.
func exitReportingStatus(for error: any Error) -> Never {
    if error is CommandFailed {
        Foundation.exit(1)
    }
    if let invalid = error as? PipelineValidationError {
        for problem in invalid.problems { printError("reel: \(problem)") }
        Foundation.exit(2)
    }
    if let failure = error as? ReelError {
        printError(failure.description)
        Foundation.exit(failure.exitCode)
    }
    let code = Reel.exitCode(for: error)
    if code == .failure, !(error is ExitCode) {
        printError("reel: \(ErrorLine.describe(error))")
        Foundation.exit(1)
    }
    if code == .success {
        let message = Reel.fullMessage(for: error)
        if !message.isEmpty { print(message) }
        Foundation.exit(0)
    }
    if code == .validationFailure {
        // A usage error is one line, like every other error; `--help` shows the usage.
        printError("reel: \(Reel.message(for: error))")
        Foundation.exit(2)
    }
    let message = Reel.fullMessage(for: error)
    if !message.isEmpty { printError(message) }
    Foundation.exit(code.rawValue)
}

/// An error a command reports in one line, with its exit code.
struct ReelError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    /// `reel <command>: <cause>` (the cause in one line, ``ErrorLine``), exit 1; exit 2 when a reader was pointed
    /// at a folder with no library (the argument names nothing to read, and nothing was done), or a stitch option
    /// does not fit its inputs (a trim past an input's end: found when the inputs' headers are read, before any
    /// work), or its overlay picture or music bed cannot be used (missing, not a still or without sound, too large
    /// or too long for the output).
    static func failed(_ command: String, _ cause: any Error) -> ReelError {
        let usage =
            switch cause {
            case LibraryError.noLibrary: true
            case let error as StitchError:
                switch error {
                case .invalidOption, .overlay, .music: true
                default: false
                }
            default: false
            }
        return ReelError(description: "reel \(command): \(ErrorLine.describe(cause))", exitCode: usage ? 2 : 1)
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
