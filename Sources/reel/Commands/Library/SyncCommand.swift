import ArgumentParser
import ReelLibrary

/// `reel library sync`: finishes the uploads that are owed (see ``Library/syncRemotes(only:environment:onEvent:)``).
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Retry uploads that are pending or failed (safe from cron, and from two processes at once).")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Only this remote.") var remote: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let opened = try libraryCommand("sync") { try library.open() }
        let json = output.json
        let report: RemoteSyncReport
        do {
            report = try await opened.syncRemotes(only: remote) { event in
                switch event {
                case .saved(let saved): if !json { print(Self.line(saved)) }
                case .skipped(let itemID, _): if !json { print("skipped \(itemID): another process is uploading it") }
                case .failed(let error, _): printError("reel library sync: \(error)")
                }
            }
        } catch {
            throw ReelError.failed("library sync", error)
        }
        if json {
            try printJSON(report.saved)
        } else {
            print("\(report.saved.count) uploaded or confirmed, \(report.stillPending) still pending")
        }
        if report.stillPending > 0 { throw CommandFailed() }
    }

    /// `uploaded ID → REMOTE KEY`: one saved copy, as save and sync print it.
    static func line(_ result: RemoteSaveResult) -> String {
        "\(result.action.rawValue) \(result.itemID) → \(result.remote) \(result.key)"
    }
}
