import ArgumentParser
import ReelLibrary

/// `reel library stats`: counts and bytes.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts and bytes by kind, source type, saved state and remote.")

    @OptionGroup var library: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let stats = try libraryCommand("stats") { try library.openExisting().stats() }
        if output.json { return try printJSON(stats) }
        func line(_ label: String, _ bucket: LibraryStats.Bucket) -> String {
            "\(label.padding(toLength: 18, withPad: " ", startingAt: 0))\(String(bucket.count).leftPadded(6))  "
                + ByteCount.text(bucket.bytes)
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
