import ArgumentParser
import Foundation

/// `reel runs list`: runs, newest first, with the run manifest's keys (`run_id`, `pipeline`, `status`…).
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Runs, newest first.")
    @OptionGroup var library: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let runs = try libraryCommandResult("runs list") { try library.openExisting().runs() }
        if output.json { return try printJSON(runs) }
        let formatter = ISO8601DateFormatter()
        for run in runs {
            print(
                "\(run.runID)  \(run.status.padding(toLength: 11, withPad: " ", startingAt: 0))  "
                    + "\(formatter.string(from: run.startedAt))  \(run.pipeline.name)")
        }
    }
}
