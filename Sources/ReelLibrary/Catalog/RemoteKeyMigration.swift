import Foundation
import GRDB

extension CatalogSchema {
    /// `v3-remote-key-unique`: one copy per remote key. A catalog from before may record several items at one key
    /// (the bucket holds only the one uploaded last): the done copy saved last keeps the key (with none done, the
    /// first recorded), and every other moves to its unique key (``KeyTemplate/uniqueKey(_:itemID:)``) as pending,
    /// with an event saying why, so `reel library sync` uploads it there. Then a unique index holds the rule.
    /// Plain SQL, so the migration keeps meaning what it says when the record types change.
    static func uniqueRemoteKeys(_ db: Database) throws {
        let shared = try Row.fetchAll(
            db, sql: "SELECT remote, key FROM remote_copies GROUP BY remote, key HAVING COUNT(*) > 1")
        for row in shared {
            let remote: String = row["remote"]
            let key: String = row["key"]
            let holders = try String.fetchAll(
                db,
                sql: """
                    SELECT item_id FROM remote_copies WHERE remote = ? AND key = ?
                    ORDER BY status = 'done' DESC, saved_at DESC, rowid
                    """, arguments: [remote, key])
            guard let keeper = holders.first else { continue }
            for itemID in holders.dropFirst() {
                var moved = KeyTemplate.uniqueKey(key, itemID: itemID)
                while try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM remote_copies WHERE remote = ? AND key = ?)",
                    arguments: [remote, moved]) == true
                {
                    moved = KeyTemplate.uniqueKey(moved, itemID: itemID)
                }
                let why =
                    "\(remote) \(key) was also recorded for item \(keeper), whose copy the bucket keeps; "
                    + "moved to \(moved), pending (reel library sync uploads it)"
                try db.execute(
                    sql: """
                        UPDATE remote_copies SET key = ?, url = NULL, etag = NULL, checksum = NULL, saved_at = NULL,
                            status = 'pending', error = ?
                        WHERE item_id = ? AND remote = ?
                        """, arguments: [moved, why, itemID, remote])
                try db.execute(
                    sql: "INSERT INTO events (at, item_id, kind, message) VALUES (?, ?, 'upload-moved', ?)",
                    arguments: [Date(), itemID, why])
            }
        }
        try db.create(index: "remote_copies_remote_key", on: "remote_copies", columns: ["remote", "key"], unique: true)
    }
}
