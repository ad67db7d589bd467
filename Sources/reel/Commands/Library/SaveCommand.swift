import ArgumentParser
import ReelLibrary

/// `reel library save ID... [--remote R]`: keep items, and upload them.
struct SaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Mark items saved (kept, never collected by gc); with --remote, also upload them.",
        discussion: """
            With --remote, each item is uploaded, confirmed with a HEAD (size, and checksum where the server \
            reports it) and recorded. An item already recorded on the remote is not sent again (--verify checks \
            it and re-sends it only when the server says it is missing). A key recorded for another item, or \
            holding another object in the bucket, is refused (exit 1) unless --on-conflict unique; nothing is \
            overwritten. A failed upload leaves the item marked pending for `reel library sync`, and exits 1.
            """)

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item ids.") var ids: [String]
    @Option(help: "Also upload to this remote.") var remote: String?
    @Option(help: "Key template: ${id} ${sha256} ${ext} ${name} ${uuid} ${date} and --param names.") var key: String?
    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("A value for the key template (repeatable).", valueName: "name=value"),
        transform: Assignment.init(parsing:))
    var params: [Assignment] = []
    @Option(help: "When another item or object holds the key: fail, or unique (-ID before the extension).")
    var onConflict: KeyConflictPolicy = .fail
    @Flag(help: "Check the recorded remote copy with a HEAD; upload again if it is missing.") var verify = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if remote == nil && (key != nil || verify || !params.isEmpty || onConflict != .fail) {
            throw ValidationError("--key, --param, --on-conflict and --verify need --remote")
        }
        for name in Assignment.dictionary(params).keys.sorted() {
            if let problem = KeyTemplate.reservedNameProblem(name) {
                throw ValidationError("--param \(name): \(problem)")
            }
        }
    }

    func run() async throws {
        let opened = try libraryCommand("save") { try library.open() }
        guard let remote else {
            let items = try libraryCommand("save") { try opened.setSaved(ids, true) }
            if output.json { return try printJSON(items) }
            for item in items { print("saved \(item.id) \(item.name)") }
            return
        }
        let values = Assignment.dictionary(params)
        let saver = try libraryCommand("save") { try RemoteSaver(library: opened, remote: remote) }
        var results: [RemoteSaveResult] = []
        var failed = false
        for id in ids {
            do {
                let result = try await saver.save(
                    id, keyTemplate: key, values: values, onConflict: onConflict, verify: verify)
                results.append(result)
                if !output.json { print(SyncCommand.line(result)) }
            } catch {
                failed = true
                printError("reel library save: \(id): \(error)")
            }
        }
        if output.json { try printJSON(results) }
        if failed { throw CommandFailed() }
    }
}
