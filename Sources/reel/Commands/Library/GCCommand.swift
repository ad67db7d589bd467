import ArgumentParser
import Foundation
import ReelLibrary

/// `reel library gc --unsaved-older-than AGE [--apply]`: drafts past a cut-off go.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Delete drafts older than a cut-off (dry run unless --apply).")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Age cut-off for drafts, e.g. 30d, 12h, 90m.") var unsavedOlderThan: String
    @Flag(help: "Really delete (default: only report).") var apply = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try AgeOption.checkAge(unsavedOlderThan, option: "--unsaved-older-than")
    }

    func run() throws {
        let cutoff = Date().addingTimeInterval(-(Durations.seconds(unsavedOlderThan) ?? 0))
        let report = try libraryCommand("gc") {
            try (apply ? library.open() : library.openExisting()).collectGarbage(createdBefore: cutoff, apply: apply)
        }
        if output.json { return try printJSON(report) }
        for item in report.items { print("\(apply ? "deleted" : "would delete") \(item.id) \(item.name)") }
        let drafts = Plural.count(report.items.count, "draft")
        let bytes = ByteCount.text(report.bytes)
        print(
            apply
                ? "deleted \(drafts), \(bytes)"
                : "dry run: \(drafts), \(bytes); run with --apply to delete them")
    }
}
