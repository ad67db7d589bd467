import ArgumentParser
import ReelLibrary

/// `reel library export ID -o FILE`: a copy of an item's file, checked against its SHA-256.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Copy an item's file out.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id.") var id: String
    @Option(name: .shortAndLong, help: "Destination file.") var output: String
    @Flag(help: "Replace an existing file.") var force = false
    @OptionGroup var format: OutputOptions

    func run() throws {
        let item = try libraryCommand("export") {
            try library.openExisting().export(id, to: output, overwrite: force)
        }
        // The item, with the file written as `destination`.
        if format.json { return try printJSON(Annotated(base: item, key: "destination", value: output)) }
        print("\(output): \(item.id) \(item.name) (\(ByteCount.text(item.size)))")
    }
}
