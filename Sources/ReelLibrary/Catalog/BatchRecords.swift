import Foundation
import GRDB

/// A row of `batches`: one pipeline run over the rows of a file. Every shard of the batch writes the same row
/// (its id comes from the pipeline's and the rows file's hashes), so shards on one library record one batch.
public struct BatchRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "batches"

    public var id: String
    public var pipelineName: String
    public var pipelinePath: String
    public var pipelineSHA256: String
    public var rowsPath: String
    public var rowsSHA256: String
    /// Rows in the file (all shards).
    public var rowsTotal: Int
    public var startedAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case pipelineName = "pipeline_name"
        case pipelinePath = "pipeline_path"
        case pipelineSHA256 = "pipeline_sha256"
        case rowsPath = "rows_path"
        case rowsSHA256 = "rows_sha256"
        case rowsTotal = "rows_total"
        case startedAt = "started_at"
        case updatedAt = "updated_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let startedAt = Column(CodingKeys.startedAt)
    }

    public init(
        id: String, pipelineName: String, pipelinePath: String, pipelineSHA256: String, rowsPath: String,
        rowsSHA256: String, rowsTotal: Int, startedAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.pipelineName = pipelineName
        self.pipelinePath = pipelinePath
        self.pipelineSHA256 = pipelineSHA256
        self.rowsPath = rowsPath
        self.rowsSHA256 = rowsSHA256
        self.rowsTotal = rowsTotal
        self.startedAt = startedAt
        self.updatedAt = updatedAt
    }
}

/// A row of `batch_rows`: how one row of a batch went, by its key: the run that ran it, its status (`ok`,
/// `failed`, `invalid`, `cancelled`), its stages' outputs as JSON, its error, and the shard that ran it.
public struct BatchRowRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "batch_rows"

    public var batchID: String
    public var rowKey: String
    /// The row's line in the rows file (1-based; a CSV's header is line 1).
    public var line: Int
    public var runID: String?
    public var status: String
    /// `{"stage id": [outputs…]}` of a row that ran.
    public var outputsJSON: String?
    public var error: String?
    /// `I/N` when a shard ran it.
    public var shard: String?
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id"
        case rowKey = "row_key"
        case line
        case runID = "run_id"
        case status
        case outputsJSON = "outputs_json"
        case error
        case shard
        case finishedAt = "finished_at"
    }

    public enum Columns {
        public static let batchID = Column(CodingKeys.batchID)
        public static let rowKey = Column(CodingKeys.rowKey)
        public static let line = Column(CodingKeys.line)
        public static let status = Column(CodingKeys.status)
    }

    public init(
        batchID: String, rowKey: String, line: Int, runID: String?, status: String, outputsJSON: String?,
        error: String?, shard: String?, finishedAt: Date?
    ) {
        self.batchID = batchID
        self.rowKey = rowKey
        self.line = line
        self.runID = runID
        self.status = status
        self.outputsJSON = outputsJSON
        self.error = error
        self.shard = shard
        self.finishedAt = finishedAt
    }
}
