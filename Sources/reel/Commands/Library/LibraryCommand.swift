import ArgumentParser
import Foundation
import ReelLibrary
import ReelPipeline

/// `reel library …`: what is in the media library, where it came from, and keeping it healthy.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Manage the media library: content-addressed files plus a catalog of what they are.",
        subcommands: [
            ImportCommand.self, ListCommand.self, ShowCommand.self, LineageCommand.self, StatsCommand.self,
            FindCommand.self, SaveCommand.self, UnsaveCommand.self, ExportCommand.self, DeleteCommand.self,
            GCCommand.self, LibraryVerifyCommand.self, LogCommand.self, SyncCommand.self,
        ]
    )
}

/// Runs a library command body, turning its errors into the one-line `reel library <name>: …` form.
func libraryCommand<T>(_ name: String, _ body: () throws -> T) throws -> T {
    try libraryCommandResult("library \(name)", body)
}

/// Runs a command body, turning its errors into the one-line `reel <name>: …` form.
@discardableResult
func libraryCommandResult<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CommandFailed {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        throw ReelError.failed(name, error)
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add files to the library (probed, hashed, deduplicated).")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Files to add.") var files: [String]
    @Option(help: "Item name (default: the file name).") var name: String?
    @Option(help: "video, thumbnail, sprite, vtt or other (default: from the probe).") var kind: ItemKind?
    @Option(help: "generated or uploaded.") var sourceType: SourceType = .uploaded
    @Option(help: "AI provider (generation details).") var provider: String?
    @Option(help: "AI model.") var model: String?
    @Option(help: "Prompt text.") var prompt: String?
    @Option(help: "Provider job id.") var jobID: String?
    @Option(name: .customLong("param"), help: "Generation parameter K=V (repeatable).") var params: [String] = []
    @Flag(help: "Mark the items saved (kept from gc).") var save = false
    @Flag(help: "Keep a truncated file (recorded as truncated) instead of refusing it.") var allowTruncated = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let generationParams = try ParamArguments.parse(params)
        let hasGeneration = provider != nil || model != nil || prompt != nil || jobID != nil || !params.isEmpty
        let generation =
            hasGeneration
            ? GenerationInfo(provider: provider, model: model, prompt: prompt, params: generationParams, jobID: jobID)
            : nil
        let opened = try libraryCommand("import") { try library.open() }
        var results: [IngestResult] = []
        var failed = false
        for file in files {
            do {
                let (result, _) = try LibraryImport.importFile(
                    file, into: opened, name: files.count == 1 ? name : nil, kind: kind,
                    sourceType: hasGeneration ? .generated : sourceType, generation: generation, save: save,
                    allowTruncated: allowTruncated)
                results.append(result)
                if !json { print("\(file): \(result.summary)") }
            } catch {
                failed = true
                // Media errors start with the path already; say it once.
                let cause = ErrorLine.describe(error)
                printError("reel library import: \(cause.hasPrefix("\(file): ") ? cause : "\(file): \(cause)")")
            }
        }
        if json { try printJSON(results.count == 1 && files.count == 1 ? [results[0].item] : results.map(\.item)) }
        if failed { throw CommandFailed() }
    }
}

extension ItemKind: ExpressibleByArgument {}
extension SourceType: ExpressibleByArgument {}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List items, newest first.")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Only this kind.") var kind: ItemKind?
    @Option(help: "Only this source type.") var sourceType: SourceType?
    @Flag(help: "Only saved items.") var saved = false
    @Flag(help: "Only drafts.") var drafts = false
    @Option(help: "Only items created since (ISO 8601 date, or an age like 7d, 12h).") var since: String?
    @Option(help: "Page number, from 1.") var page = 1
    @Option(help: "Items per page.") var perPage = 50
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if saved && drafts { throw ValidationError("--saved and --drafts exclude each other") }
        if let since, Durations.date(since) == nil {
            throw ValidationError("--since \(since): expected an ISO 8601 date or an age like 30d")
        }
    }

    func run() throws {
        let filter = ItemFilter(
            kind: kind, sourceType: sourceType, saved: saved ? true : drafts ? false : nil,
            since: since.flatMap(Durations.date))
        let result = try libraryCommand("list") {
            try library.open().items(matching: filter, page: page, perPage: perPage)
        }
        if json { return try printJSON(result) }
        print(ItemTable.render(result.items))
        print(
            "page \(result.page) of \(max(1, (result.total + result.perPage - 1) / result.perPage)), \(result.total) items"
        )
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything known about an item.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id (a unique prefix is enough) or SHA-256.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let item = try libraryCommand("show") { try library.open().item(id) }
        if json { return try printJSON(item) }
        print(ItemTable.describe(item))
    }
}

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage", abstract: "Where an item came from: its inputs, in order, recursively.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let node = try libraryCommand("lineage") { try library.open().lineage(of: id) }
        if json { return try printJSON(node) }
        print(ItemTable.tree(node))
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts and bytes by kind, source type, saved state and remote.")

    @OptionGroup var library: LibraryOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let stats = try libraryCommand("stats") { try library.open().stats() }
        if json { return try printJSON(stats) }
        func line(_ label: String, _ bucket: LibraryStats.Bucket) -> String {
            "\(label.padding(toLength: 18, withPad: " ", startingAt: 0))\(String(bucket.count).leftPadded(6))  "
                + ByteCountFormatter.string(fromByteCount: bucket.bytes, countStyle: .file)
        }
        print(line("total", stats.total))
        print(line("saved", stats.saved))
        print(line("drafts", stats.drafts))
        for (kind, bucket) in stats.byKind.sorted(by: { $0.key < $1.key }) { print(line("kind \(kind)", bucket)) }
        for (source, bucket) in stats.bySourceType.sorted(by: { $0.key < $1.key }) {
            print(line("source \(source)", bucket))
        }
        for (remote, statuses) in stats.remotes.sorted(by: { $0.key < $1.key }) {
            print(
                "remote \(remote): "
                    + statuses.sorted(by: { $0.key < $1.key }).map { "\($0.value) \($0.key)" }
                    .joined(separator: ", "))
        }
    }
}

struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", abstract: "Find items by SHA-256 or id prefix, name, provider, model or prompt text.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "What to look for.") var query: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let items = try libraryCommand("find") { try library.open().find(query) }
        if json { return try printJSON(items) }
        print(ItemTable.render(items))
    }
}

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
    @Option(name: .customLong("param"), help: "A value for the key template, K=V (repeatable).") var params: [String] =
        []
    @Option(help: "When another item or object holds the key: fail, or unique (-ID before the extension).")
    var onConflict: KeyConflictPolicy = .fail
    @Flag(help: "Check the recorded remote copy with a HEAD; upload again if it is missing.") var verify = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if remote == nil && (key != nil || verify || !params.isEmpty || onConflict != .fail) {
            throw ValidationError("--key, --param, --on-conflict and --verify need --remote")
        }
        for name in try ParamArguments.parse(params).keys.sorted() {
            if let problem = KeyTemplate.reservedNameProblem(name) {
                throw ValidationError("--param \(name): \(problem)")
            }
        }
    }

    func run() async throws {
        let opened = try libraryCommand("save") { try library.open() }
        guard let remote else {
            let items = try libraryCommand("save") { try opened.setSaved(ids, true) }
            if json { return try printJSON(items) }
            for item in items { print("saved \(item.id) \(item.name)") }
            return
        }
        let values = try ParamArguments.parse(params)
        let saver = try libraryCommand("save") { try RemoteSaver(library: opened, remote: remote) }
        var results: [RemoteSaveResult] = []
        var failed = false
        for id in ids {
            do {
                let result = try await saver.save(
                    id, keyTemplate: key, values: values, onConflict: onConflict, verify: verify)
                results.append(result)
                if !json { print("\(result.action.rawValue) \(result.itemID) → \(remote) \(result.key)") }
            } catch {
                failed = true
                printError("reel library save: \(id): \(error)")
            }
        }
        if json { try printJSON(results) }
        if failed { throw CommandFailed() }
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Retry uploads that are pending or failed (safe from cron, and from two processes at once).")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Only this remote.") var remote: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let opened = try libraryCommand("sync") { try library.open() }
        let pending = try libraryCommand("sync") { try opened.pendingUploads(remote: remote) }
        var results: [RemoteSaveResult] = []
        var failures = 0
        for name in Set(pending.map(\.remote)).sorted() {
            let saver: RemoteSaver
            do {
                saver = try RemoteSaver(library: opened, remote: name)
            } catch {
                failures += pending.filter { $0.remote == name }.count
                printError("reel library sync: \(error)")
                continue
            }
            for result in await saver.sync() {
                switch result {
                case .success(let saved):
                    results.append(saved)
                    if !json { print("\(saved.action.rawValue) \(saved.itemID) → \(name) \(saved.key)") }
                case .failure(.busy(let itemID, _)):
                    if !json { print("skipped \(itemID): another process is uploading it") }
                case .failure(let error):
                    failures += 1
                    printError("reel library sync: \(error)")
                }
            }
        }
        if json { try printJSON(results) }
        if !json { print("\(results.count) uploaded or confirmed, \(failures) still pending") }
        if failures > 0 { throw CommandFailed() }
    }
}

struct UnsaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unsave", abstract: "Make saved items drafts again.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item ids.") var ids: [String]
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let items = try libraryCommand("unsave") { try library.open().setSaved(ids, false) }
        if json { return try printJSON(items) }
        for item in items { print("draft \(item.id) \(item.name)") }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Copy an item's file out.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Item id.") var id: String
    @Option(name: .shortAndLong, help: "Destination file.") var output: String
    @Flag(help: "Replace an existing file.") var force = false

    func run() throws {
        let item = try libraryCommand("export") { try library.open().export(id, to: output, overwrite: force) }
        print("\(output): \(item.id) \(item.name) (\(item.size) bytes)")
    }
}

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

    func run() throws {
        let item = try libraryCommand("delete") { try library.open().delete(id, force: force) }
        print("deleted \(item.id) \(item.name) (\(item.size) bytes)")
    }
}

struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Delete drafts older than a cut-off (dry run unless --apply).")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Age cut-off for drafts, e.g. 30d, 12h, 90m.") var unsavedOlderThan: String
    @Flag(help: "Really delete (default: only report).") var apply = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if Durations.seconds(unsavedOlderThan) == nil {
            throw ValidationError("--unsaved-older-than \(unsavedOlderThan): expected an age like 30d, 12h or 90m")
        }
    }

    func run() throws {
        let cutoff = Date().addingTimeInterval(-(Durations.seconds(unsavedOlderThan) ?? 0))
        let report = try libraryCommand("gc") { try library.open().collectGarbage(createdBefore: cutoff, apply: apply) }
        if json { return try printJSON(report) }
        for item in report.items { print("\(apply ? "deleted" : "would delete") \(item.id) \(item.name)") }
        let bytes = ByteCountFormatter.string(fromByteCount: report.bytes, countStyle: .file)
        print(
            apply
                ? "deleted \(report.items.count) drafts, \(bytes)"
                : "dry run: \(report.items.count) drafts, \(bytes); run with --apply to delete them")
    }
}

struct LibraryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Rehash every object; find leftovers, orphans, missing and corrupt files.")

    @OptionGroup var library: LibraryOptions
    @Flag(help: "Remove leftovers and orphans; drop rows whose file is gone.") var repair = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let report = try libraryCommand("verify") { try library.open().verify(repair: repair) }
        if json {
            try printJSON(report)
        } else {
            for finding in report.findings {
                print("\(finding.kind.rawValue) \(finding.path)\(finding.repaired ? " (repaired)" : "")")
            }
            print("\(report.checkedObjects) objects checked, \(report.findings.count) problems")
        }
        if report.findings.contains(where: { !$0.repaired }) { throw CommandFailed() }
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "The library's event log.")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Only events since (ISO 8601 date or an age like 7d).") var since: String?
    @Option(help: "Only events about this item.") var item: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let events = try libraryCommand("log") {
            try library.open().events(since: since.flatMap(Durations.date), item: item)
        }
        if json { return try printJSON(events) }
        let formatter = ISO8601DateFormatter()
        for event in events {
            print("\(formatter.string(from: event.at))  \(event.itemID ?? "-")  \(event.kind)  \(event.message)")
        }
    }
}
