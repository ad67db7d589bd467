import ArgumentParser
import Foundation
import ReelAV

/// `reel probe FILE... [--json]`: describe media files in-process, as ffprobe would.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Describe media files: container, duration, size and every stream.",
        discussion: """
            Reports what ffprobe reports, in one process (fast for many files). Rotation is the clockwise \
            turn a player applies; display size is what a viewer sees after aspect ratio and rotation.
            """
    )

    @Argument(help: "Media files to describe (--json: one object, or an array when several files are given).")
    var files: [String]

    @OptionGroup var output: OutputOptions

    mutating func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file to probe") }
        if let url = files.first(where: { $0.range(of: "://") != nil && !$0.lowercased().hasPrefix("file://") }) {
            throw ValidationError("\(url): probe takes local files; get a URL with reel fetch first")
        }
    }

    func run() throws {
        var results: [MediaInfo] = []
        var failed = false
        for file in files {
            do {
                let info = try MediaInfo.probe(file)
                results.append(info)
                if !output.json { print(ProbeTable.render(info)) }
            } catch {
                failed = true
                printError("reel probe: \(error)")
            }
        }
        if output.json {
            if files.count == 1, let only = results.first {
                try printJSON(only)
            } else if files.count > 1 {
                try printJSON(results)
            }
        }
        if failed { throw CommandFailed() }
    }
}
