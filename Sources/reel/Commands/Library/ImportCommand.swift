import ArgumentParser
import Foundation
import ReelLibrary
import ReelPipeline

/// `reel library import FILE...`: adds files, probed, hashed and deduplicated.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add files to the library (probed, hashed, deduplicated).")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Files to add.") var files: [String]
    @Option(help: "Item name (default: the file name).") var name: String?
    @Option(help: "video, thumbnail, sprite, vtt or other (default: from the probe).") var kind: ItemKind?
    @Option(help: "generated or uploaded (default: generated when generation details are given).")
    var sourceType: SourceType?
    @OptionGroup var generation: GenerationOptions
    @Flag(help: "Mark the items saved (kept from gc).") var save = false
    @Flag(help: "Keep a truncated file (recorded as truncated) instead of refusing it.") var allowTruncated = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if sourceType == .stitched { throw ValidationError("--source-type: generated or uploaded") }
    }

    func run() throws {
        let details = generation.info
        let opened = try libraryCommand("import") { try library.open() }
        var results: [Annotated<Item, String>] = []
        var failed = false
        for file in files {
            do {
                let (result, _) = try LibraryImport.importFile(
                    file, into: opened, name: files.count == 1 ? name : nil, kind: kind,
                    sourceType: .inferred(declared: sourceType, generation: details), generation: details,
                    save: save, allowTruncated: allowTruncated)
                results.append(result.imported)
                if !output.json { print("\(file): \(result.summary)") }
            } catch {
                failed = true
                // Media errors start with the path already; say it once.
                let cause = ErrorLine.describe(error)
                printError("reel library import: \(cause.hasPrefix("\(file): ") ? cause : "\(file): \(cause)")")
            }
        }
        if output.json { try printJSON(results) }
        if failed { throw CommandFailed() }
    }
}
