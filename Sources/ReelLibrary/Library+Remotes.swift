import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An item's copy on a remote that is not confirmed yet, for `reel library sync`.
public struct PendingUpload: Sendable {
    public var item: Item
    public var remote: String
    public var key: String
}

/// Holds the right to upload one item to one remote (an `flock` on a file under `locks/`), so two processes
/// saving or syncing at once never upload the same copy twice; released when dropped or when the process dies.
public final class RemoteCopyLock {
    private let descriptor: Int32

    fileprivate init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}

@available(*, unavailable)
extension RemoteCopyLock: Sendable {}

/// The item whose copy holds a remote key another item asked for.
public struct RemoteKeyHolder: Sendable, Equatable {
    public var itemID: String
    public var status: RemoteCopy.Status
}

extension RemoteCopy {
    init(_ record: RemoteCopyRecord) {
        self.init(
            remote: record.remote, key: record.key, url: record.url,
            status: Status(rawValue: record.status) ?? .pending, etag: record.etag, checksum: record.checksum,
            savedAt: record.savedAt, error: record.error)
    }
}

extension RemoteCopyRecord {
    init(itemID: String, _ copy: RemoteCopy) {
        self.init(
            itemID: itemID, remote: copy.remote, key: copy.key, url: copy.url, etag: copy.etag, checksum: copy.checksum,
            status: copy.status.rawValue, savedAt: copy.savedAt, error: copy.error)
    }
}

extension Library {
    /// The recorded copy of `itemID` on `remote`, if any.
    public func remoteCopy(of itemID: String, on remote: String) throws(LibraryError) -> RemoteCopy? {
        try reading { db in
            try RemoteCopyRecord.filter(Column("item_id") == itemID && Column("remote") == remote).fetchOne(db)
        }.map(RemoteCopy.init)
    }

    /// Records that `itemID` is owed to `remote` under `key` (pending), unless another item's copy on `remote`
    /// (pending, done or failed) holds `key`: then nothing is written and that copy's item is returned. The check and
    /// the record are one transaction, and the catalog holds one copy per remote key, so of two processes claiming
    /// one key for two items exactly one gets it.
    public func claimUpload(of itemID: String, to remote: String, key: String) throws(LibraryError)
        -> RemoteKeyHolder?
    {
        try writing { db in
            let holder = try RemoteCopyRecord.filter(
                Column("remote") == remote && Column("key") == key && Column("item_id") != itemID
            ).fetchOne(db)
            if let holder {
                return RemoteKeyHolder(itemID: holder.itemID, status: RemoteCopy(holder).status)
            }
            try owe(db, itemID, to: remote, key: key, status: .pending, error: nil)
            return nil
        }
    }

    /// Gives back a key claimed with ``claimUpload(of:to:key:)`` that the bucket refused: `itemID`'s copy on `remote`
    /// is `previous` again (none when nil).
    public func releaseUpload(of itemID: String, to remote: String, restoring previous: RemoteCopy?)
        throws(LibraryError)
    {
        try writing { db in
            _ = try RemoteCopyRecord.deleteOne(db, key: ["item_id": itemID, "remote": remote])
            if let previous { try RemoteCopyRecord(itemID: itemID, previous).insert(db) }
        }
    }

    /// Records how an upload to `key` (already claimed by ``claimUpload(of:to:key:)``) went: still pending, or
    /// failed, with why.
    public func markUpload(
        of itemID: String, to remote: String, key: String, status: RemoteCopy.Status, error: String
    ) throws(LibraryError) {
        try writing { db in try owe(db, itemID, to: remote, key: key, status: status, error: error) }
    }

    private func owe(
        _ db: Database, _ itemID: String, to remote: String, key: String, status: RemoteCopy.Status, error: String?
    ) throws {
        let record = RemoteCopyRecord(
            itemID: itemID, remote: remote, key: key, url: nil, etag: nil, checksum: nil, status: status.rawValue,
            savedAt: nil, error: error)
        try record.upsert(db)
        if let error { try log(db, itemID, "upload-\(status.rawValue)", "\(remote) \(key): \(error)") }
    }

    /// Records a confirmed upload and marks the item saved.
    public func recordUpload(
        of itemID: String, to remote: String, key: String, url: String, etag: String?, checksum: String?
    ) throws(LibraryError) -> Item {
        let now = Date()
        return try item(
            writing { db in
                try RemoteCopyRecord(
                    itemID: itemID, remote: remote, key: key, url: url, etag: etag, checksum: checksum,
                    status: RemoteCopy.Status.done.rawValue, savedAt: now, error: nil
                ).upsert(db)
                guard var record = try ItemRecord.fetchOne(db, key: itemID) else {
                    throw LibraryError.noSuchItem(itemID)
                }
                if !record.saved {
                    record.saved = true
                    record.savedAt = now
                    try record.update(db)
                }
                try log(db, itemID, "uploaded", "\(remote) \(key)")
                return record
            })
    }

    /// Copies not confirmed yet (pending or failed), oldest item first; only `remote`'s when given.
    public func pendingUploads(remote: String? = nil) throws(LibraryError) -> [PendingUpload] {
        let rows = try reading { db in
            var request = RemoteCopyRecord.filter(Column("status") != RemoteCopy.Status.done.rawValue)
            if let remote { request = request.filter(Column("remote") == remote) }
            return try request.order(Column("item_id")).fetchAll(db)
        }
        var uploads: [PendingUpload] = []
        for row in rows { uploads.append(PendingUpload(item: try item(row.itemID), remote: row.remote, key: row.key)) }
        return uploads.sorted { $0.item.createdAt < $1.item.createdAt }
    }

    /// Takes the upload lock for `itemID` on `remote`; nil when another process (or task) holds it.
    public func lockUpload(of itemID: String, to remote: String) throws(LibraryError) -> RemoteCopyLock? {
        let folder = (root as NSString).appendingPathComponent("locks")
        try FileSystem.makeDirectory(folder)
        let path = (folder as NSString).appendingPathComponent("upload-\(remote)-\(itemID).lock")
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: path, detail: FileSystem.lastError()) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return RemoteCopyLock(descriptor: descriptor)
    }
}
