import ArgumentParser
import Foundation
import ReelLibrary

/// `reel batches list`: batches, newest first, with their row counts by status.
struct BatchesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Batches, newest first.")
    @OptionGroup var library: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let batches = try libraryCommandResult("batches list") { try library.openExisting().batches() }
        if output.json { return try printJSON(batches) }
        let formatter = ISO8601DateFormatter()
        for overview in batches {
            print(
                "\(overview.batch.id)  \(formatter.string(from: overview.batch.startedAt))  "
                    + "\(BatchesShowCommand.counts(overview))  \(overview.batch.pipelineName)")
        }
    }
}
