import ArgumentParser

/// `reel library show ID`: everything known about one item.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything known about an item.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id (a unique prefix is enough) or SHA-256.") var id: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let item = try libraryCommand("show") { try library.openExisting().item(id) }
        if output.json { return try printJSON(item) }
        print(ItemTable.describe(item))
    }
}
