import ArgumentParser
import Foundation
import ReelPipeline

/// `reel validate PIPELINE.json [--param K=V]...`: every problem in a pipeline file, before anything runs.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline file without running it: fields, types, references, cycles, params."
    )

    @Argument(help: "The pipeline file.")
    var pipeline: String

    @Option(
        name: .customLong("param"), help: ArgumentHelp("Set a param (repeatable).", valueName: "name=value"),
        transform: Assignment.init(parsing:))
    var params: [Assignment] = []

    func run() throws {
        let loaded = try Pipeline.load(contentsOf: pipeline, params: Assignment.dictionary(params))
        let graph = PipelineGraph(loaded)
        print("\(pipeline): ok, \(loaded.stages.count) stages")
        for stage in loaded.stages {
            let reads = graph.dependencies[stage.id] ?? []
            print(
                "  \(stage.id) (\(stage.type.rawValue))" + (reads.isEmpty ? "" : " ← \(reads.joined(separator: ", "))"))
        }
    }
}
