import Foundation
import ReelLibrary

/// How one row of a batch went: a line of the batch's JSONL manifest.
public struct BatchRowResult: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Ran and passed (or had passed in an earlier run of the batch, `cached`).
        case ok
        /// Ran, and a stage or an expectation failed.
        case failed
        /// Its params do not make a valid pipeline; not run.
        case invalid
        /// The batch was interrupted before the row finished.
        case cancelled
    }

    public var key: String
    public var line: Int
    public var status: Status
    /// Not run again: an earlier run of the batch finished it ok and its outputs are still in the library.
    public var cached: Bool
    public var runID: String?
    public var seconds: Double?
    public var error: String?
    /// Each stage's outputs, by stage id.
    public var outputs: [String: [StageOutput]]?

    enum CodingKeys: String, CodingKey {
        case key, line, status, cached
        case runID = "run_id"
        case seconds, error, outputs
    }
}

/// What a batch (or one shard of it) did: `reel run --each --json` prints it.
public struct BatchSummary: Sendable, Equatable, Codable {
    /// A row that did not end ok.
    public struct Problem: Sendable, Equatable, Codable {
        public var line: Int
        public var key: String
        public var status: BatchRowResult.Status
        public var error: String?
    }

    public var batchID: String
    public var pipeline: RunManifest.PipelineReference
    public var rowsPath: String
    public var rowsSHA256: String
    /// `I/N` for a shard.
    public var shard: String?
    /// Rows this run was given (its shard's rows).
    public var rows: Int
    /// Rows ended ok, the cached ones among them.
    public var ok: Int
    /// Rows failed or invalid.
    public var failed: Int
    /// Rows an earlier run of the batch had finished, not run again.
    public var cached: Int
    public var cancelled: Int
    /// The rows that did not end ok, in file order.
    public var problems: [Problem]
    /// The JSONL manifest: one line per row.
    public var manifest: String
    public var startedAt: Date
    public var finishedAt: Date

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id"
        case pipeline
        case rowsPath = "rows_path"
        case rowsSHA256 = "rows_sha256"
        case shard, rows, ok, failed, cached, cancelled, problems, manifest
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// `batch b-…: 4,998 ok, 2 failed (rows 17, 4031), 12 cached`: rows named by their line in the rows file.
    public var line: String {
        let failedLines = problems.filter { $0.status != .cancelled }.map(\.line)
        var text = "batch \(batchID)\(shard.map { " (shard \($0))" } ?? ""): \(Plural.grouped(ok)) ok"
        text += ", \(Plural.grouped(failed)) failed"
        if !failedLines.isEmpty {
            let shown = failedLines.prefix(10).map(String.init).joined(separator: ", ")
            text += " (\(failedLines.count == 1 ? "row" : "rows") \(shown)"
            text += failedLines.count > 10 ? " and \(Plural.grouped(failedLines.count - 10)) more)" : ")"
        }
        text += ", \(Plural.grouped(cached)) cached"
        if cancelled > 0 { text += ", \(Plural.grouped(cancelled)) cancelled" }
        return text
    }
}
