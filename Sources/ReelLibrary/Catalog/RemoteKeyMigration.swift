import Foundation
import GRDB

extension CatalogSchema {
    /// `v3-remote-key-unique`: one copy per remote key. A catalog from before may record several items at one key
    /// (the bucket holds only the one uploaded last): the done copy saved last keeps the key (with none done, the
    /// first recorded), and every other moves to its unique key (``KeyTemplate/uniqueKey(_:itemID:)``) as pending,
    /// with an event saying why, so `reel library sync` uploads it there. Then a unique index holds the rule.
    static func uniqueRemoteKeys(_ db: Database) throws {
        let shared = try Row.fetchAll(
            db, sql: "SELECT remote, key FROM remote_copies GROUP BY remote, key HAVING COUNT(*) > 1")
        for row in shared {
            let remote: String = row["remote"]
            let key: String = row["key"]
            let copies = try RemoteCopyRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM remote_copies WHERE remote = ? AND key = ?
                    ORDER BY status = 'done' DESC, saved_at DESC, rowid
                    """, arguments: [remote, key])
            guard let keeper = copies.first else { continue }
            for var copy in copies.dropFirst() {
                var moved = KeyTemplate.uniqueKey(key, itemID: copy.itemID)
                while try !RemoteCopyRecord.filter(Column("remote") == remote && Column("key") == moved).isEmpty(db) {
                    moved = KeyTemplate.uniqueKey(moved, itemID: copy.itemID)
                }
                let why =
                    "\(remote) \(key) was also recorded for item \(keeper.itemID), whose copy the bucket keeps; "
                    + "moved to \(moved), pending (reel library sync uploads it)"
                copy.key = moved
                copy.url = nil
                copy.etag = nil
                copy.checksum = nil
                copy.savedAt = nil
                copy.status = RemoteCopy.Status.pending.rawValue
                copy.error = why
                try copy.update(db)
                var event = EventRecord(id: nil, at: Date(), itemID: copy.itemID, kind: "upload-moved", message: why)
                try event.insert(db)
            }
        }
        try db.create(index: "remote_copies_remote_key", on: "remote_copies", columns: ["remote", "key"], unique: true)
    }
}
