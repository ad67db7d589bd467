import Foundation
import GRDB

/// A pipeline run as the catalog keeps it. Stage outputs are stored as the pipeline layer's JSON.
public struct RunRecord: Sendable {
    public struct Stage: Sendable {
        public var id: String
        public var type: String
        public var status: String
        public var cacheKey: String?
        public var cacheHit: Bool
        public var startedAt: Date?
        public var finishedAt: Date?
        public var seconds: Double?
        public var error: String?
        /// Each output: its library item (if any), its role, and its JSON.
        public var outputs: [(itemID: String?, role: String, json: String)]

        public init(
            id: String, type: String, status: String, cacheKey: String?, cacheHit: Bool, startedAt: Date?,
            finishedAt: Date?, seconds: Double?, error: String?,
            outputs: [(itemID: String?, role: String, json: String)]
        ) {
            self.id = id
            self.type = type
            self.status = status
            self.cacheKey = cacheKey
            self.cacheHit = cacheHit
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.seconds = seconds
            self.error = error
            self.outputs = outputs
        }
    }

    public var id: String
    public var pipelineName: String
    public var pipelinePath: String
    public var pipelineSHA256: String
    /// The pipeline definition, secrets already redacted by the caller.
    public var definitionJSON: String
    public var paramsJSON: String
    public var status: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var manifestJSON: String?
    public var stages: [Stage]

    public init(
        id: String, pipelineName: String, pipelinePath: String, pipelineSHA256: String, definitionJSON: String,
        paramsJSON: String, status: String, startedAt: Date, finishedAt: Date?, manifestJSON: String?, stages: [Stage]
    ) {
        self.id = id
        self.pipelineName = pipelineName
        self.pipelinePath = pipelinePath
        self.pipelineSHA256 = pipelineSHA256
        self.definitionJSON = definitionJSON
        self.paramsJSON = paramsJSON
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.manifestJSON = manifestJSON
        self.stages = stages
    }
}

/// A short summary of a recorded run, for `reel runs list`.
public struct RunSummary: Sendable, Codable {
    public var id: String
    public var pipeline: String
    public var status: String
    public var startedAt: Date
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, pipeline, status
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

extension Library {
    /// Records a whole run (run row, stage rows, outputs) in one transaction.
    public func record(_ run: RunRecord) throws(LibraryError) {
        try writing { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO runs (id, pipeline_name, pipeline_path, pipeline_sha256, definition_json,
                        params_json, status, started_at, finished_at, manifest_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.pipelineName, run.pipelinePath, run.pipelineSHA256, run.definitionJSON, run.paramsJSON,
                    run.status, run.startedAt, run.finishedAt, run.manifestJSON,
                ])
            for stage in run.stages { try insert(db, stage, runID: run.id) }
            try log(db, nil, "run", "run \(run.id) of \(run.pipelineName): \(run.status)")
        }
    }

    /// Records one finished stage of a run already recorded (so a later run can reuse it even if this one dies).
    public func record(_ stage: RunRecord.Stage, runID: String) throws(LibraryError) {
        try writing { db in try insert(db, stage, runID: runID) }
    }

    private func insert(_ db: Database, _ stage: RunRecord.Stage, runID: String) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO run_stages (run_id, stage_id, type, status, cache_key, cache_hit,
                    started_at, finished_at, seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                runID, stage.id, stage.type, stage.status, stage.cacheKey, stage.cacheHit, stage.startedAt,
                stage.finishedAt, stage.seconds, stage.error,
            ])
        try db.execute(sql: "DELETE FROM run_outputs WHERE run_id = ? AND stage_id = ?", arguments: [runID, stage.id])
        for (ordinal, output) in stage.outputs.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO run_outputs (run_id, stage_id, ordinal, role, item_id, output_json)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [runID, stage.id, ordinal, output.role, output.itemID, output.json])
        }
    }

    /// The outputs (as JSON) of the latest successful stage with `cacheKey`, provided every item it produced is
    /// still in the library; nil otherwise.
    public func cachedOutputs(forKey cacheKey: String) throws(LibraryError) -> [String]? {
        try reading { db in
            guard
                let runID = try String.fetchOne(
                    db,
                    sql: """
                        SELECT run_stages.run_id FROM run_stages JOIN runs ON runs.id = run_stages.run_id
                        WHERE run_stages.cache_key = ? AND run_stages.status = 'ok'
                        ORDER BY runs.started_at DESC LIMIT 1
                        """,
                    arguments: [cacheKey]),
                let stageID = try String.fetchOne(
                    db, sql: "SELECT stage_id FROM run_stages WHERE run_id = ? AND cache_key = ?",
                    arguments: [runID, cacheKey])
            else { return nil }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT run_outputs.output_json AS json, run_outputs.item_id AS item, items.id AS present
                    FROM run_outputs LEFT JOIN items ON items.id = run_outputs.item_id
                    WHERE run_outputs.run_id = ? AND run_outputs.stage_id = ? ORDER BY run_outputs.ordinal
                    """,
                arguments: [runID, stageID])
            let complete = rows.allSatisfy { row in
                (row["item"] as String?) == nil || (row["present"] as String?) != nil
            }
            return complete ? rows.map { $0["json"] } : nil
        }
    }

    /// Recorded runs, newest first.
    public func runs(limit: Int = 50) throws(LibraryError) -> [RunSummary] {
        try reading { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, pipeline_name, status, started_at, finished_at FROM runs ORDER BY started_at DESC LIMIT ?",
                arguments: [limit]
            ).map {
                RunSummary(
                    id: $0["id"], pipeline: $0["pipeline_name"], status: $0["status"], startedAt: $0["started_at"],
                    finishedAt: $0["finished_at"])
            }
        }
    }

    /// The manifest JSON of a recorded run (id or unique prefix).
    public func runManifest(_ reference: String) throws(LibraryError) -> String {
        try reading { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, manifest_json FROM runs WHERE id LIKE ? LIMIT 6", arguments: ["\(reference)%"])
            guard let row = rows.first else { throw LibraryError.noSuchItem(reference) }
            guard rows.count == 1 else { throw LibraryError.ambiguousItem(reference, matches: rows.map { $0["id"] }) }
            return row["manifest_json"] ?? "{}"
        }
    }
}
