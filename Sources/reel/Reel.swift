import ArgumentParser
import ReelAV

/// The `reel` command: runs pipelines and each media stage on its own.
@main
struct Reel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reel",
        abstract: "Run declarative media pipelines over video, on FFmpeg's libraries in-process.",
        version: "0.1.0",
        subcommands: [
            ProbeCommand.self, StitchCommand.self, ThumbnailCommand.self, ValidateCommand.self, VerifyCommand.self,
            LibraryCommand.self, RunCommand.self, RunsCommand.self, BatchesCommand.self, FetchCommand.self,
            RemoteCommand.self, ServeCommand.self,
        ]
    )

    /// Parses the command line, runs the command and exits with the code SPEC gives:
    /// 0 success, 1 a stage or check failed, 2 invalid usage.
    static func main() async {
        LibavLog.silence()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitReportingStatus(for: error)
        }
    }
}
