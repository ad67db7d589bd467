import ArgumentParser
import ReelLibrary

/// `reel library list`: items, newest first, a page at a time.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List items, newest first.")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Only this kind.") var kind: ItemKind?
    @Option(help: "Only this source type.") var sourceType: SourceType?
    @Flag(help: "Only saved items.") var saved = false
    @Flag(help: "Only drafts.") var drafts = false
    @Option(help: "Only items created since (ISO 8601 date, or an age like 7d, 12h).") var since: String?
    @OptionGroup var paging: PageOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if saved && drafts { throw ValidationError("--saved and --drafts exclude each other") }
        try AgeOption.checkDate(since, option: "--since")
    }

    func run() throws {
        let filter = ItemFilter(
            kind: kind, sourceType: sourceType, saved: saved ? true : drafts ? false : nil,
            since: since.flatMap(Durations.date))
        let result = try libraryCommand("list") {
            try library.openExisting().items(matching: filter, page: paging.page, perPage: paging.perPage)
        }
        if output.json { return try printJSON(result) }
        print(ItemTable.render(result.items))
        print(PageOptions.footer(result))
    }
}
