import ArgumentParser

/// `reel library lineage ID`: what an item was made from (a tree), and what was made from it (a list).
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Where an item came from (its inputs, in order, recursively) and what was made from it.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id.") var id: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let node = try libraryCommand("lineage") { try library.openExisting().lineage(of: id) }
        if output.json { return try printJSON(node) }
        print(ItemTable.lineage(node))
    }
}
