import ArgumentParser
import ReelLibrary

/// `--page N --per-page N`, shared by the commands that list items a page at a time.
struct PageOptions: ParsableArguments {
    @Option(help: "Page number, from 1.") var page = 1
    @Option(help: "Items per page.") var perPage = 50

    func validate() throws {
        if page < 1 { throw ValidationError("--page \(page): must be at least 1") }
        if perPage < 1 { throw ValidationError("--per-page \(perPage): must be at least 1") }
    }

    /// `page 1 of 3, 120 items`.
    static func footer(_ result: ItemPage) -> String {
        let pages = max(1, (result.total + result.perPage - 1) / result.perPage)
        return "page \(result.page) of \(pages), \(Plural.count(result.total, "item"))"
    }
}
