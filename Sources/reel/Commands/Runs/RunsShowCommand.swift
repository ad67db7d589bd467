import ArgumentParser
import Foundation

/// `reel runs show ID`: a recorded run, for a person (stages, times, cache hits, outputs, errors) or, with
/// `--json`, its manifest.
struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A recorded run: its stages, times, cache hits, outputs and errors.")
    @OptionGroup var library: LibraryOptions
    @Argument(help: "Run id (a unique prefix is enough).") var id: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let manifest = try libraryCommandResult("runs show") { try library.openExisting().runManifest(id) }
        if output.json { return print(manifest) }
        let object = try? JSONSerialization.jsonObject(with: Data(manifest.utf8))
        print(RunView.render(object as? [String: Any] ?? [:]))
    }
}
