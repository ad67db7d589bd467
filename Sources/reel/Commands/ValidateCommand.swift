import ArgumentParser
import Foundation
import ReelPipeline

/// `reel validate PIPELINE.json [--param K=V]...`: every problem in a pipeline file, before anything runs.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline file without running it: fields, values, references, cycles, params, inputs.",
        discussion: """
            Everything a run could fail on in the file is checked: each value against the rules the stage and the \
            matching command share, local input files, and remotes named in store stages (against the library's \
            config). Relative paths are relative to the pipeline file's folder; a path that starts with a \
            --param value is relative to the current directory.
            """
    )

    @Argument(help: "The pipeline file.")
    var pipeline: String

    @Option(
        name: .customLong("param"), help: ArgumentHelp("Set a param (repeatable).", valueName: "name=value"),
        transform: Assignment.init(parsing:))
    var params: [Assignment] = []

    @OptionGroup var library: LibraryOptions

    func run() throws {
        let loaded = try Pipeline.load(
            contentsOf: pipeline, params: Assignment.dictionary(params),
            environment: try StageEnvironment(libraryAt: library.location))
        let graph = PipelineGraph(loaded)
        print("\(pipeline): ok, \(loaded.stages.count) stages")
        for stage in loaded.stages {
            let reads = graph.dependencies[stage.id] ?? []
            print(
                "  \(stage.id) (\(stage.type.rawValue))" + (reads.isEmpty ? "" : " ← \(reads.joined(separator: ", "))"))
        }
    }
}
