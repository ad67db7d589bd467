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

    @Option(name: .customLong("param"), help: "Set a param: --param campaign=456 (repeatable).")
    var params: [String] = []

    func run() throws {
        let loaded = try Pipeline.load(contentsOf: pipeline, params: try ParamArguments.parse(params))
        let graph = PipelineGraph(loaded)
        print("\(pipeline): ok, \(loaded.stages.count) stages")
        for stage in loaded.stages {
            let reads = graph.dependencies[stage.id] ?? []
            print(
                "  \(stage.id) (\(stage.type.rawValue))" + (reads.isEmpty ? "" : " ← \(reads.joined(separator: ", "))"))
        }
    }
}

/// `K=V` strings from `--param` options.
enum ParamArguments {
    static func parse(_ arguments: [String]) throws -> [String: String] {
        var params: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw ValidationError("--param \(argument): expected NAME=VALUE")
            }
            params[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
        }
        return params
    }
}
