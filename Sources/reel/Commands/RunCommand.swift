import ArgumentParser
import Foundation
import ReelLibrary
import ReelPipeline

/// `reel run PIPELINE.json`: the main job. Validates everything first, runs independent stages at once, reuses
/// unchanged stages, records the run in the library and checks the pipeline's expectations.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: fetch, probe, stitch, thumbnail, store, then check its expectations.",
        discussion: """
            Exit 0 when every stage and expectation passed, 1 when one failed (or the run was interrupted), \
            2 when the pipeline file or the arguments are invalid (nothing runs then). With --each ROWS (or \
            "each" in the pipeline) the pipeline runs once per row of a .jsonl or .csv file, the row's fields as \
            its params: a batch, resumable and shardable (docs/batches.md).
            """
    )

    @Argument(help: "The pipeline file.") var pipeline: String
    @Option(
        name: .customLong("param"), help: ArgumentHelp("Set a param (repeatable).", valueName: "name=value"),
        transform: Assignment.init(parsing:))
    var params: [Assignment] = []
    @OptionGroup var library: LibraryOptions
    @Option(help: "Stages running at once (default: one per core).") var jobs: Int?
    @Flag(help: "Run every stage, even unchanged ones.") var noCache = false
    @Flag(help: "Validate and show the stages in order, without running them.") var dryRun = false
    @Flag(help: "Write the goldens the expectations name (similar_to references, checksum files) from this run.")
    var updateGoldens = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var batch: BatchOptions
    @Option(help: ArgumentHelp("Write a JUnit XML report (stages and checks, or a batch's rows).", valueName: "file"))
    var junit: String?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        if let rows = batch.each ?? BatchPlan.rowsFile(ofPipeline: pipeline) {
            if dryRun { throw ValidationError("--dry-run does not apply to a batch (--each)") }
            return try await BatchCommandRun(
                pipeline: pipeline, rows: rows, params: Assignment.dictionary(params), library: library,
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, useCache: !noCache, batch: batch,
                junit: junit, json: output.json
            ).run()
        }
        if let flag = batch.batchOnlyFlag { throw ValidationError(BatchInputError.noRows(flag: flag).description) }
        let loaded = try Pipeline.load(
            contentsOf: pipeline, params: Assignment.dictionary(params),
            environment: try StageEnvironment(libraryAt: library.location))
        if dryRun {
            let graph = PipelineGraph(loaded)
            for stage in loaded.stages {
                let reads = graph.dependencies[stage.id] ?? []
                print(
                    "\(stage.id) (\(stage.type.rawValue))"
                        + (reads.isEmpty ? "" : " ← \(reads.joined(separator: ", "))"))
            }
            return
        }
        let opened = try libraryCommandResult("run") { try library.open() }
        let run = PipelineRun(
            pipeline: loaded, path: pipeline, library: opened,
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            useCache: !noCache, updateGoldens: updateGoldens)
        let (events, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(256))
        let (notes, noteContinuation) = AsyncStream.makeStream(of: String.self)
        let printer = Task { await RunProgress.show(events, notes: notes) }
        let work = Task { try await run.execute(events: continuation) }
        let manifest = try await Interrupts.awaiting(
            work, events: continuation, notes: noteContinuation, printer: printer)
        if let junit { try JUnitReport(run: manifest).write(to: junit) }
        if output.json {
            try printJSON(manifest)
        } else {
            try RunProgress.summarize(manifest, library: opened)
        }
        if manifest.status != .ok {
            printError("reel run: \(pipeline): \(manifest.status.rawValue) (run \(manifest.runID))")
            throw CommandFailed()
        }
    }
}
