import ArgumentParser
import Foundation

/// `reel library log`: the append-only event log.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "The library's event log.")

    @OptionGroup var library: LibraryOptions
    @Option(help: "Only events since (ISO 8601 date or an age like 7d).") var since: String?
    @Option(help: "Only events about this item.") var item: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try AgeOption.checkDate(since, option: "--since")
    }

    func run() throws {
        let events = try libraryCommand("log") {
            try library.openExisting().events(since: since.flatMap(Durations.date), item: item)
        }
        if output.json { return try printJSON(events) }
        let formatter = ISO8601DateFormatter()
        for event in events {
            print("\(formatter.string(from: event.at))  \(event.itemID ?? "-")  \(event.kind)  \(event.message)")
        }
    }
}
