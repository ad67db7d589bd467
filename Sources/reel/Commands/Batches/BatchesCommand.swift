import ArgumentParser

/// `reel batches list|show`: the batches recorded in the library.
struct BatchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches", abstract: "Recorded batches (reel run --each).",
        subcommands: [BatchesListCommand.self, BatchesShowCommand.self])
}
