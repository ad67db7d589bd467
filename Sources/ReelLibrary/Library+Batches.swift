import Foundation
import GRDB

/// A recorded batch with how many of its rows ended in each status, as `reel batches list` shows it.
public struct BatchOverview: Sendable, Codable, Equatable {
    public var batch: BatchRecord
    /// Rows recorded, by status (`ok`, `failed`, `invalid`, `cancelled`).
    public var counts: [String: Int]

    public func encode(to encoder: any Encoder) throws {
        try batch.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(counts, forKey: .counts)
    }

    public init(from decoder: any Decoder) throws {
        batch = try BatchRecord(from: decoder)
        counts = try decoder.container(keyedBy: CodingKeys.self).decode([String: Int].self, forKey: .counts)
    }

    init(batch: BatchRecord, counts: [String: Int]) {
        self.batch = batch
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey { case counts }
}

extension Library {
    /// Records a batch's row, or brings a recorded one up to date; the time it first started is kept.
    public func recordBatch(_ batch: BatchRecord) throws(LibraryError) {
        try writing { db in
            var record = batch
            if let existing = try BatchRecord.fetchOne(db, key: batch.id) { record.startedAt = existing.startedAt }
            try record.upsert(db)
        }
    }

    /// Records how one row of a batch went, replacing what an earlier attempt at it recorded.
    public func recordBatchRow(_ row: BatchRowRecord) throws(LibraryError) {
        try writing { db in try row.upsert(db) }
    }

    /// What the batch recorded for the row with `key`, if anything.
    public func batchRow(batchID: String, key: String) throws(LibraryError) -> BatchRowRecord? {
        try reading { db in
            try BatchRowRecord.filter(
                BatchRowRecord.Columns.batchID == batchID && BatchRowRecord.Columns.rowKey == key
            ).fetchOne(db)
        }
    }

    /// The batch's recorded rows in file order.
    public func batchRows(batchID: String) throws(LibraryError) -> [BatchRowRecord] {
        try reading { db in
            try BatchRowRecord.filter(BatchRowRecord.Columns.batchID == batchID)
                .order(BatchRowRecord.Columns.line).fetchAll(db)
        }
    }

    /// Recorded batches, newest first, with their row counts.
    public func batches(limit: Int = 50) throws(LibraryError) -> [BatchOverview] {
        try reading { db in
            let records = try BatchRecord.order(BatchRecord.Columns.startedAt.desc).limit(limit).fetchAll(db)
            return try records.map { try BatchOverview(batch: $0, counts: Self.counts(db, batchID: $0.id)) }
        }
    }

    /// The batch with this id or unique id prefix.
    public func batch(_ reference: String) throws(LibraryError) -> BatchOverview {
        try reading { db in
            let matches = try BatchRecord.filter(BatchRecord.Columns.id.like("\(reference)%")).limit(6).fetchAll(db)
            guard let record = matches.first else { throw LibraryError.noSuchItem(reference) }
            guard matches.count == 1 else { throw LibraryError.ambiguousItem(reference, matches: matches.map(\.id)) }
            return BatchOverview(batch: record, counts: try Self.counts(db, batchID: record.id))
        }
    }

    private static func counts(_ db: Database, batchID: String) throws -> [String: Int] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT status, COUNT(*) AS n FROM batch_rows WHERE batch_id = ? GROUP BY status",
            arguments: [batchID])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["status"] as String, $0["n"] as Int) })
    }
}
