import ArgumentParser

/// `reel library unsave ID...`: saved items become drafts.
struct UnsaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unsave", abstract: "Make saved items drafts again.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item ids.") var ids: [String]
    @OptionGroup var output: OutputOptions

    func run() throws {
        let items = try libraryCommand("unsave") { try library.openExisting().setSaved(ids, false) }
        if output.json { return try printJSON(items) }
        for item in items { print("draft \(item.id) \(item.name)") }
    }
}
