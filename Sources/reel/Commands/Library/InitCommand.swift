import ArgumentParser

/// `reel library init`: creates the library (readers never do; writers do on first use).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the library folder (an existing library is left as it is).")

    @OptionGroup var library: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let opened = try libraryCommand("init") { try library.open() }
        if output.json { return try printJSON(["path": opened.root]) }
        print("library at \(opened.root)")
    }
}
