import ArgumentParser
import ReelLibrary

/// `reel library delete ID`: an item and its file go (a tombstone stays where other items were made from it).
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an item and its file (a saved item, or one others were made from, needs --force).",
        discussion: """
            An item other items were made from stays in their lineage as a tombstone ("(deleted) name sha256 …"); \
            importing the same bytes again brings it back under its id.
            """)

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id.") var id: String
    @Flag(help: "Delete even a saved item, or one other items were made from.") var force = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let item = try libraryCommand("delete") { try library.openExisting().delete(id, force: force) }
        if output.json { return try printJSON(item) }
        print("deleted \(item.id) \(item.name) (\(ByteCount.text(item.size)))")
    }
}
