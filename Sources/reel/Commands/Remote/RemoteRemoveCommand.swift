import ArgumentParser
import ReelLibrary

/// `reel remote remove NAME`: a remote out of the config; its objects stay in the bucket.
struct RemoteRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a remote from the config (objects already uploaded stay in the bucket).")
    @OptionGroup var library: LibraryOptions
    @Argument(help: "The remote.") var name: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        var removed: RemoteConfig?
        try libraryCommandResult("remote remove") {
            try library.openExisting().updateConfig { config throws(LibraryError) in
                removed = config.remotes.removeValue(forKey: name)
                if removed == nil { throw .invalidArgument("no remote named \"\(name)\"") }
            }
        }
        // The shape of `remote list --json`, with the remote that was removed.
        if output.json, let removed { return try printJSON([name: removed]) }
        print("removed remote \(name)")
    }
}
