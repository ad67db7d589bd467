import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `gc` removed, or would remove on a dry run.
public struct GarbageReport: Sendable, Encodable {
    public var items: [Item]
    public var bytes: Int64
    public var applied: Bool
}

/// Deleting items. Rows go first, in one transaction; the files go after it commits. A crash in between leaves
/// files no row names (orphans, which `verify` reports and `verify --repair` removes), never a row without its
/// file. An item other items were made from leaves a tombstone (a row of `tombstones`, see ``TombstoneRecord``),
/// so their lineage still says what they were made from.
extension Library {
    /// Deletes an item and its file. Refuses a saved item, or one other items were made from, unless `force`
    /// (the item then lives on as a tombstone in their lineage).
    public func delete(_ reference: String, force: Bool = false) throws(LibraryError) -> Item {
        let (deleted, path) = try writing { (db: Database) throws -> (Item, String) in
            let record = try resolve(db, reference)
            if record.saved && !force { throw LibraryError.isSaved(id: record.id) }
            let dependents = try String.fetchAll(
                db, sql: "SELECT DISTINCT item_id FROM lineage WHERE input_id = ? ORDER BY item_id",
                arguments: [record.id])
            if !dependents.isEmpty && !force {
                throw LibraryError.hasDependents(id: record.id, dependents: dependents)
            }
            return (try self.item(db, record), try removeItem(db, record, reason: "deleted"))
        }
        FaultInjection.point(.afterDeleteCommit)
        unlinkUnnamedObjects([path])
        return deleted
    }

    /// Drafts created before `cutoff` that no saved item was made from (directly or through other items) and that
    /// no live run has recorded as a stage's output or reused input. Removes them when `apply`; otherwise only
    /// reports.
    ///
    /// With `apply` the drafts are chosen inside the transaction that deletes them, so a save, or a saved item
    /// made from a draft, that commits first keeps the draft; one that commits later finds it gone.
    public func collectGarbage(createdBefore cutoff: Date, apply: Bool) throws(LibraryError) -> GarbageReport {
        let choose = { (db: Database) throws -> [ItemRecord] in
            let live = try self.liveRunIDs(db)
            let marks = databaseQuestionMarks(count: live.count)
            return try ItemRecord.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE kept(id) AS (
                        SELECT id FROM items WHERE saved = 1
                        UNION SELECT item_id FROM run_outputs WHERE item_id IS NOT NULL AND run_id IN (\(marks))
                        UNION SELECT lineage.input_id FROM lineage JOIN kept ON lineage.item_id = kept.id
                    )
                    SELECT * FROM items WHERE saved = 0 AND created_at < ? AND id NOT IN (SELECT id FROM kept)
                    ORDER BY created_at
                    """,
                arguments: StatementArguments(live + [cutoff as any DatabaseValueConvertible]))
        }
        guard apply else {
            let items = try reading { db in try choose(db).map { try self.item(db, $0) } }
            return GarbageReport(items: items, bytes: items.reduce(0) { $0 + $1.size }, applied: false)
        }
        let removed = try writing { (db: Database) throws -> [(item: Item, path: String)] in
            try choose(db).map { record in
                let item = try self.item(db, record)
                return (item, try removeItem(db, record, reason: "collected: draft older than the cut-off"))
            }
        }
        let items = removed.map(\.item)
        FaultInjection.point(.afterDeleteCommit)
        unlinkUnnamedObjects(removed.map(\.path))
        return GarbageReport(items: items, bytes: items.reduce(0) { $0 + $1.size }, applied: true)
    }

    /// Removes an item's rows (its lineage, generation and remote copies go with it) and returns the path of its
    /// file, which the caller unlinks with ``unlinkUnnamedObjects(_:)`` once the transaction has committed.
    /// An item other items were made from becomes a tombstone; tombstones only this item named are dropped.
    func removeItem(_ db: Database, _ record: ItemRecord, reason: String) throws -> String {
        let isInput = try LineageRecord.filter(Column("input_id") == record.id).isEmpty(db) == false
        if isInput { try TombstoneRecord(record, deletedAt: Date()).upsert(db) }
        let inputs = try String.fetchAll(
            db, sql: "SELECT DISTINCT input_id FROM lineage WHERE item_id = ?", arguments: [record.id])
        _ = try ItemRecord.deleteOne(db, key: record.id)
        for input in inputs {
            try db.execute(
                sql: "DELETE FROM tombstones WHERE id = ? AND NOT EXISTS (SELECT 1 FROM lineage WHERE input_id = ?)",
                arguments: [input, input])
        }
        let note = isInput ? "; a tombstone keeps it in the lineage of what was made from it" : ""
        try log(db, record.id, "delete", reason + note)
        return objectPath(sha256: record.sha256, ext: record.ext)
    }

    /// Unlinks object files whose rows a committed transaction removed, a batch at a time, each batch holding the
    /// catalog's write lock and unlinking a path only while no row names it.
    ///
    /// Between that commit and the unlink another process may ingest the same bytes again, and its rename puts a
    /// new file at the very same path. Ingests rename only while holding the write lock (inside their
    /// transaction), so under the lock a path no committed row names is not about to be named either: the check
    /// and the unlink cannot be overtaken, and a file a new row names is never removed. A file left behind (a crash
    /// before or during this, a failed unlink, a lock that could not be had) is an orphan for `verify`; never a
    /// row without its file.
    func unlinkUnnamedObjects(_ paths: [String]) {
        guard !isReadOnly else { return }
        var unlinked = 0
        for start in stride(from: 0, to: paths.count, by: 256) {
            try? database.write { db in
                for path in paths[start..<min(start + 256, paths.count)] where try !rowNames(db, path) {
                    guard unlink(path) == 0 else { continue }
                    unlinked += 1
                    if unlinked == 1 { FaultInjection.point(.midUnlink) }
                }
            }
        }
    }

    /// Whether a row of `items` names the file at `path` (`objects/ab/<sha256>.<ext>`).
    func rowNames(_ db: Database, _ path: String) throws -> Bool {
        let file = (path as NSString).lastPathComponent
        let parts = file.split(separator: ".", maxSplits: 1)
        let sha256 = parts.first.map(String.init) ?? ""
        let ext = parts.count > 1 ? String(parts[1]) : ""
        guard objectPath(sha256: sha256, ext: ext) == path else { return false }
        return try ItemRecord.filter(Column("sha256") == sha256 && Column("ext") == ext).isEmpty(db) == false
    }
}
