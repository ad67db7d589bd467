import ArgumentParser
import Foundation
import ReelLibrary

/// `reel batches show ID`: a batch (pipeline, rows file, counts) and each recorded row: key, line, status, run,
/// error. `--json` prints the batch with its rows.
struct BatchesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A recorded batch: its pipeline, rows file, counts and rows.")
    @OptionGroup var library: LibraryOptions
    @Argument(help: "Batch id (a unique prefix is enough).") var id: String
    @OptionGroup var output: OutputOptions

    /// The batch and its rows.
    struct Shown {
        var batch: BatchOverview
        var rows: [BatchRowRecord]
    }

    func run() throws {
        let shown = try libraryCommandResult("batches show") {
            let opened = try library.openExisting()
            let overview = try opened.batch(id)
            return Shown(batch: overview, rows: try opened.batchRows(batchID: overview.batch.id))
        }
        if output.json { return try printJSON(Annotated(base: shown.batch, key: "rows", value: shown.rows)) }
        let batch = shown.batch.batch
        print("batch \(batch.id): \(batch.pipelineName) (\(batch.pipelinePath)) over \(batch.rowsPath)")
        print("rows: \(Plural.grouped(batch.rowsTotal)) in the file, \(Self.counts(shown.batch))")
        for row in shown.rows {
            var line = "\(row.rowKey)  line \(row.line)  \(row.status)"
            if let run = row.runID { line += "  run \(run)" }
            if let shard = row.shard { line += "  shard \(shard)" }
            if let error = row.error { line += "  \(error)" }
            print(line)
        }
    }

    /// `12 ok, 1 failed`: the recorded rows by status.
    static func counts(_ overview: BatchOverview) -> String {
        let order = ["ok", "failed", "invalid", "cancelled"]
        let statuses = overview.counts.keys.sorted { (order.firstIndex(of: $0) ?? 9) < (order.firstIndex(of: $1) ?? 9) }
        let parts = statuses.map { "\(Plural.grouped(overview.counts[$0] ?? 0)) \($0)" }
        return parts.isEmpty ? "no rows recorded" : parts.joined(separator: ", ")
    }
}
