import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// A short summary of a recorded run, for `reel runs list`: the run manifest's keys, without its stages.
public struct RunSummary: Sendable, Codable {
    /// The pipeline that ran, as the run manifest names it.
    public struct Pipeline: Sendable, Codable {
        public var name: String
        public var path: String
        /// SHA-256 of the pipeline file's bytes.
        public var sha256: String
    }

    public var runID: String
    public var pipeline: Pipeline
    public var status: String
    public var startedAt: Date
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case pipeline, status
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(pipeline, forKey: .pipeline)
        try container.encode(status, forKey: .status)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }
}

extension Library {
    /// Where run manifests (`<run id>.json`) and the lock files of live runs (`<run id>.lock`) are kept.
    public var runsDirectory: String { (root as NSString).appendingPathComponent("runs") }

    /// Starts recording `run` (status `running`): takes the run's lease first, so whoever sees the row can tell
    /// whether its process still lives, then writes the row. Runs whose process died are marked `interrupted`
    /// first. Hand the lease back to ``finish(_:lease:)``.
    public func begin(_ run: RunRecord) throws(LibraryError) -> RunLease {
        guard !isReadOnly else { throw .readOnly(path: root, detail: "cannot write") }
        try FileSystem.makeDirectory(runsDirectory)
        let lease = try RunLease(folder: runsDirectory, id: run.id)
        let marked = try writing { db in
            let marked = try markInterruptedRuns(db)
            try record(db, run)
            return marked
        }
        removeLeases(of: marked)
        return lease
    }

    /// Records the finished run (its status no longer `running`), and with it, in the same transaction, the
    /// batch row it ran for (if any); then ends its lease.
    public func finish(_ run: RunRecord, batchRow: BatchRowRecord? = nil, lease: RunLease) throws(LibraryError) {
        try writing { db in
            try record(db, run)
            try batchRow?.upsert(db)
        }
        lease.release()
    }

    /// Ends a run whose full record could not be written as `failed`, with its manifest: one row update, no
    /// stage or output rows. Then ends its lease.
    public func finishFailed(
        runID: String, finishedAt: Date, manifestJSON: String, reason: String, lease: RunLease
    ) throws(LibraryError) {
        try writing { db in
            try db.execute(
                sql: "UPDATE runs SET status = 'failed', finished_at = ?, manifest_json = ? WHERE id = ?",
                arguments: [finishedAt, manifestJSON, runID])
            try log(db, nil, "run", "run \(runID) failed: \(reason)")
        }
        lease.release()
    }

    /// Records a whole run (run row, stage rows, outputs) in one transaction.
    public func record(_ run: RunRecord) throws(LibraryError) {
        try writing { db in try record(db, run) }
    }

    /// The statements a run's record takes are prepared once per connection (`cachedStatement`): a batch records
    /// thousands of runs.
    private func record(_ db: Database, _ run: RunRecord) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO runs (id, pipeline_name, pipeline_path, pipeline_sha256, definition_json,
                    params_json, status, started_at, finished_at, manifest_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                run.id, run.pipelineName, run.pipelinePath, run.pipelineSHA256, run.definitionJSON, run.paramsJSON,
                run.status, run.startedAt, run.finishedAt, run.manifestJSON,
            ])
        for stage in run.stages { try insert(db, stage, runID: run.id) }
        if run.status != "running" && FaultInjection.fails(.recordingRun) {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message: "FOREIGN KEY constraint failed")
        }
        try log(db, nil, "run", "run \(run.id) of \(run.pipelineName): \(run.status)")
    }

    /// Records one finished stage of a run already recorded (so a later run can reuse it even if this one dies),
    /// and with it the items the stage produced or reused: while the run lives, `gc` keeps what its stages
    /// recorded. Returns false, recording nothing, when one of those items is no longer in the catalog (deleted
    /// or collected since the stage found it).
    public func record(_ stage: RunRecord.Stage, runID: String) throws(LibraryError) -> Bool {
        try writing { db in
            for output in stage.outputs {
                guard let itemID = output.itemID else { continue }
                if try !ItemRecord.exists(db, key: itemID) { return false }
            }
            try insert(db, stage, runID: runID)
            return true
        }
    }

    /// An output whose item was deleted meanwhile is recorded without its item (as a deletion after the run
    /// leaves it), never as a reference to a row that is gone.
    private func insert(_ db: Database, _ stage: RunRecord.Stage, runID: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO run_stages (run_id, stage_id, type, status, cache_key, cache_hit,
                    started_at, finished_at, seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                runID, stage.id, stage.type, stage.status, stage.cacheKey, stage.cacheHit, stage.startedAt,
                stage.finishedAt, stage.seconds, stage.error,
            ])
        try db.cachedStatement(sql: "DELETE FROM run_outputs WHERE run_id = ? AND stage_id = ?")
            .execute(arguments: [runID, stage.id])
        for (ordinal, output) in stage.outputs.enumerated() {
            try db.cachedStatement(
                sql: """
                    INSERT INTO run_outputs (run_id, stage_id, ordinal, role, item_id, output_json)
                    SELECT ?, ?, ?, ?, (SELECT id FROM items WHERE id = ?), ?
                    """
            ).execute(arguments: [runID, stage.id, ordinal, output.role, output.itemID, output.json])
        }
    }

    /// The outputs (as JSON) of the successful stage with `cacheKey` recorded last, or nil when there is none.
    /// Whether the items they name are still whole is for the caller to ask (``holdsObject(itemID:sha256:)``).
    ///
    /// The stage recorded last is the one with the highest rowid, found by walking the cache-key index backwards:
    /// one step however many stages share the key (every probe of one clip does).
    public func cachedOutputs(forKey cacheKey: String) throws(LibraryError) -> [String]? {
        try reading { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT run_id, stage_id FROM run_stages WHERE cache_key = ? AND status = 'ok'
                            ORDER BY rowid DESC LIMIT 1
                            """),
                    arguments: [cacheKey])
            else { return nil }
            return try String.fetchAll(
                db.cachedStatement(
                    sql: "SELECT output_json FROM run_outputs WHERE run_id = ? AND stage_id = ? ORDER BY ordinal"),
                arguments: [row["run_id"] as String, row["stage_id"] as String])
        }
    }

    /// Whether item `itemID` is in the catalog with this SHA-256 and its object file is there, at its recorded
    /// size: what a cached stage output needs to be reused. (The bytes are not rehashed; `verify` does that.)
    public func holdsObject(itemID: String, sha256: String) throws(LibraryError) -> Bool {
        let row = try reading { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT ext, size FROM items WHERE id = ? AND sha256 = ?"),
                arguments: [itemID, sha256])
        }
        guard let row else { return false }
        var info = stat()
        guard stat(objectPath(sha256: sha256, ext: row["ext"]), &info) == 0 else { return false }
        return Int64(info.st_size) == row["size"]
    }

    /// Recorded runs, newest first. A run still `running` whose process is gone shows as `interrupted`.
    public func runs(limit: Int = 50) throws(LibraryError) -> [RunSummary] {
        var summaries = try reading { db in
            try Row.fetchAll(
                db,
                sql:
                    """
                    SELECT id, pipeline_name, pipeline_path, pipeline_sha256, status, started_at, finished_at
                    FROM runs ORDER BY started_at DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map {
                RunSummary(
                    runID: $0["id"],
                    pipeline: RunSummary.Pipeline(
                        name: $0["pipeline_name"], path: $0["pipeline_path"], sha256: $0["pipeline_sha256"]),
                    status: $0["status"], startedAt: $0["started_at"], finishedAt: $0["finished_at"])
            }
        }
        let dead = try abandonedRuns(among: summaries.filter { $0.status == "running" }.map(\.runID))
        for index in summaries.indices where dead.contains(summaries[index].runID) {
            summaries[index].status = "interrupted"
        }
        return summaries
    }

    /// The manifest JSON of a recorded run (id or unique prefix). A run that never finished has none; it is
    /// described from its row and the stages it recorded, with the status `running` or `interrupted`.
    public func runManifest(_ reference: String) throws(LibraryError) -> String {
        let row = try reading { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM runs WHERE id LIKE ? LIMIT 6", arguments: ["\(reference)%"])
            guard let row = rows.first else { throw LibraryError.noSuchItem(reference) }
            guard rows.count == 1 else { throw LibraryError.ambiguousItem(reference, matches: rows.map { $0["id"] }) }
            return row
        }
        if let manifest = row["manifest_json"] as String? { return manifest }
        let id: String = row["id"]
        let status = try abandonedRuns(among: [id]).isEmpty ? row["status"] : "interrupted"
        return try unfinishedManifest(row, status: status)
    }

    /// Runs among `ids` recorded as `running` whose lease is not held: their process died. The status is read
    /// again after the locks are tried, so a run that finished in between is not taken for a dead one.
    private func abandonedRuns(among ids: [String]) throws(LibraryError) -> Set<String> {
        let unlocked = ids.filter { !RunLease.isHeld(leasePath(of: $0)) }
        guard !unlocked.isEmpty else { return [] }
        return try reading { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM runs WHERE status = 'running'")).intersection(unlocked)
        }
    }

    /// Records every run left `running` by a process that died as `interrupted`, in `db`'s transaction; their lock
    /// files are for the caller to remove once it commits.
    func markInterruptedRuns(_ db: Database) throws -> [String] {
        let running = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM runs WHERE status = 'running'"))
        let dead = running.filter { !RunLease.isHeld(leasePath(of: $0)) }
        for id in dead {
            try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE id = ?", arguments: [id])
            try log(db, nil, "run", "run \(id) was interrupted: its process ended before the run did")
        }
        return dead
    }

    /// Runs recorded `running` whose process still holds their lease.
    func liveRunIDs(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM runs WHERE status = 'running'").filter {
            RunLease.isHeld(leasePath(of: $0))
        }
    }

    /// Removes the lock files of runs ``markInterruptedRuns(_:)`` recorded, once that transaction committed.
    func removeLeases(of runIDs: [String]) {
        for id in runIDs { unlink(leasePath(of: id)) }
    }

    private func leasePath(of runID: String) -> String {
        (runsDirectory as NSString).appendingPathComponent("\(runID).lock")
    }

    /// A manifest for a run that never wrote one: its row and the stages it recorded before it stopped.
    private func unfinishedManifest(_ row: Row, status: String) throws(LibraryError) -> String {
        let id: String = row["id"]
        let stages = try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM run_stages WHERE run_id = ? ORDER BY started_at, finished_at", arguments: [id]
            ).map { stage -> [String: Any] in
                let outputs = try String.fetchAll(
                    db, sql: "SELECT output_json FROM run_outputs WHERE run_id = ? AND stage_id = ? ORDER BY ordinal",
                    arguments: [id, stage["stage_id"] as String])
                return [
                    "id": stage["stage_id"] as String, "type": stage["type"] as String,
                    "status": stage["status"] as String, "cache_hit": stage["cache_hit"] as Bool,
                    "cache_key": (stage["cache_key"] as String?) ?? NSNull(),
                    "finished_at": (stage["finished_at"] as Date?).map(Self.timestamp) ?? NSNull(),
                    "outputs": outputs.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) },
                ]
            }
        }
        let params = (row["params_json"] as String?).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let manifest: [String: Any] = [
            "run_id": id, "status": status, "params": params ?? [:], "stages": stages, "expect": [Any](),
            "pipeline": [
                "name": row["pipeline_name"] as String, "path": row["pipeline_path"] as String,
                "sha256": row["pipeline_sha256"] as String,
            ],
            "started_at": Self.timestamp(row["started_at"]), "finished_at": NSNull(),
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: manifest, options: [.sortedKeys, .withoutEscapingSlashes])
        else { throw .catalog("run \(id): its recorded stages cannot be written as JSON") }
        return String(decoding: data, as: UTF8.self)
    }

    private static func timestamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
