import ArgumentParser
import ReelLibrary

/// `reel remote list`: the remotes of the library's config.
struct RemoteListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The remotes and their settings.")
    @OptionGroup var library: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let remotes = try libraryCommandResult("remote list") { try library.openExisting().config().remotes }
        if output.json { return try printJSON(remotes) }
        for (name, remote) in remotes.sorted(by: { $0.key < $1.key }) {
            print(
                "\(name)  \(remote.endpoint)  bucket \(remote.bucket)  region \(remote.region)"
                    + (remote.pathStyle ? "  path-style" : "") + (remote.key.map { "  key \($0)" } ?? ""))
        }
    }
}
