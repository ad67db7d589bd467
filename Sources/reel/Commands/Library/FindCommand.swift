import ArgumentParser

/// `reel library find QUERY`: items by hash, id, name or generation details, a page at a time as `list` gives them.
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", abstract: "Find items by SHA-256 or id prefix, name, provider, model or prompt text.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "What to look for.") var query: String
    @OptionGroup var paging: PageOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = try libraryCommand("find") {
            try library.openExisting().find(query, page: paging.page, perPage: paging.perPage)
        }
        if output.json { return try printJSON(result) }
        print(ItemTable.render(result.items))
        print(PageOptions.footer(result))
    }
}
