import ArgumentParser

/// `reel runs list|show`: the runs recorded in the library.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Recorded pipeline runs.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self])
}
