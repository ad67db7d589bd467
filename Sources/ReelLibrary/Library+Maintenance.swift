import Crypto
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts and bytes, by kind, source type, saved state and remote status.
public struct LibraryStats: Sendable, Encodable {
    public struct Bucket: Sendable, Encodable {
        public var count: Int
        public var bytes: Int64
    }
    public var total: Bucket
    public var byKind: [String: Bucket]
    public var bySourceType: [String: Bucket]
    public var saved: Bucket
    public var drafts: Bucket
    /// Per remote, the number of copies in each status (pending, done, failed).
    public var remotes: [String: [String: Int]]

    enum CodingKeys: String, CodingKey {
        case total
        case byKind = "by_kind"
        case bySourceType = "by_source_type"
        case saved, drafts, remotes
    }
}

/// What `gc` removed, or would remove on a dry run.
public struct GarbageReport: Sendable, Encodable {
    public var items: [Item]
    public var bytes: Int64
    public var applied: Bool
}

/// What `verify` found, and what `--repair` did about it.
public struct VerifyReport: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// A file in staging left by a write that never finished.
        case stagingLeftover = "staging-leftover"
        /// A file in objects/ that no catalog row names (a crash between rename and commit).
        case orphanObject = "orphan-object"
        /// A catalog row whose file is gone.
        case missingObject = "missing-object"
        /// A file whose bytes no longer hash to its name.
        case corruptObject = "corrupt-object"
    }
    public struct Finding: Sendable, Encodable {
        public var kind: Kind
        public var path: String
        public var itemID: String?
        public var repaired: Bool

        enum CodingKeys: String, CodingKey {
            case kind, path
            case itemID = "item_id"
            case repaired
        }
    }
    public var checkedObjects: Int
    public var findings: [Finding]

    enum CodingKeys: String, CodingKey {
        case checkedObjects = "checked_objects"
        case findings
    }
}

extension Library {
    /// Marks items saved (kept from `gc`), or drafts again with `saved: false`.
    public func setSaved(_ references: [String], _ saved: Bool) throws(LibraryError) -> [Item] {
        let records = try writing { db in
            try references.map { reference in
                var record = try resolve(db, reference)
                if record.saved != saved {
                    record.saved = saved
                    record.savedAt = saved ? Date() : nil
                    try record.update(db)
                    try log(db, record.id, saved ? "save" : "unsave", saved ? "saved" : "back to draft")
                }
                return record
            }
        }
        var items: [Item] = []
        for record in records { items.append(try item(record)) }
        return items
    }

    /// Copies an item's file to `destination` atomically; an existing file is kept unless `overwrite`.
    public func export(_ reference: String, to destination: String, overwrite: Bool = false) throws(LibraryError)
        -> Item
    {
        let item = try item(reference)
        if !overwrite && FileManager.default.fileExists(atPath: destination) {
            throw .invalidArgument("\(destination) exists; use --force to replace it")
        }
        let folder = ((destination as NSString).deletingLastPathComponent as NSString).standardizingPath
        let temporary = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(
            ".\((destination as NSString).lastPathComponent).\(UUID().uuidString).part")
        do {
            try FileManager.default.copyItem(atPath: item.path, toPath: temporary)
        } catch {
            unlink(temporary)
            throw .writeFailed(path: destination, detail: (error as NSError).localizedDescription)
        }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        do {
            try FileSystem.rename(temporary, to: destination)
        } catch {
            unlink(temporary)
            throw error
        }
        return item
    }

    /// Deletes an item and its file. Refuses when other items were made from it, unless `force`
    /// (their lineage then loses that input).
    public func delete(_ reference: String, force: Bool = false) throws(LibraryError) -> Item {
        let target = try item(reference)
        try writing { db in
            let dependents = try String.fetchAll(
                db, sql: "SELECT DISTINCT item_id FROM lineage WHERE input_id = ? ORDER BY item_id",
                arguments: [target.id])
            if !dependents.isEmpty && !force {
                throw LibraryError.hasDependents(id: target.id, dependents: dependents)
            }
            try removeItem(db, target.id, path: target.path, reason: "deleted")
        }
        return target
    }

    /// Removes the rows and the object while holding the write lock, so no ingest of the same bytes can
    /// interleave between the two.
    func removeItem(_ db: Database, _ id: String, path: String, reason: String) throws {
        try db.execute(sql: "DELETE FROM lineage WHERE input_id = ?", arguments: [id])
        _ = try ItemRecord.deleteOne(db, key: id)
        try log(db, id, "delete", reason)
        if unlink(path) != 0 && errno != ENOENT {
            throw LibraryError.writeFailed(path: path, detail: FileSystem.lastError())
        }
    }

    /// Drafts created before `cutoff` that no saved item was made from (directly or through other items).
    /// Removes them when `apply`; otherwise only reports.
    public func collectGarbage(createdBefore cutoff: Date, apply: Bool) throws(LibraryError) -> GarbageReport {
        let candidates: [ItemRecord] = try reading { db in
            try ItemRecord.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE kept(id) AS (
                        SELECT id FROM items WHERE saved = 1
                        UNION SELECT lineage.input_id FROM lineage JOIN kept ON lineage.item_id = kept.id
                    )
                    SELECT * FROM items WHERE saved = 0 AND created_at < ? AND id NOT IN (SELECT id FROM kept)
                    ORDER BY created_at
                    """,
                arguments: [cutoff])
        }
        var items: [Item] = []
        for record in candidates { items.append(try item(record)) }
        if apply {
            try writing { db in
                for item in items {
                    try removeItem(db, item.id, path: item.path, reason: "collected: draft older than the cut-off")
                }
            }
        }
        return GarbageReport(items: items, bytes: items.reduce(0) { $0 + $1.size }, applied: apply)
    }

    /// Rehashes every object and compares files with the catalog: staging leftovers, orphan objects, missing and
    /// corrupt objects. With `repair`, removes leftovers and orphans and drops rows whose file is gone.
    /// Runs holding the write lock, so in-flight ingests of other processes are never mistaken for leftovers.
    public func verify(repair: Bool) throws(LibraryError) -> VerifyReport {
        let work = { (db: Database) throws -> VerifyReport in
            var findings: [VerifyReport.Finding] = []
            for name in (try? FileManager.default.contentsOfDirectory(atPath: self.stagingDirectory)) ?? [] {
                let path = (self.stagingDirectory as NSString).appendingPathComponent(name)
                guard !StagingFile.isInUse(path) else { continue }
                findings.append(
                    .init(kind: .stagingLeftover, path: path, itemID: nil, repaired: repair && unlink(path) == 0))
            }
            let records = try ItemRecord.fetchAll(db)
            var expected: [String: ItemRecord] = [:]
            for record in records { expected[self.objectPath(sha256: record.sha256, ext: record.ext)] = record }
            var checked = 0
            let enumerator = FileManager.default.enumerator(atPath: self.objectsDirectory)
            while let relative = enumerator?.nextObject() as? String {
                let path = (self.objectsDirectory as NSString).appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
                else { continue }
                guard let record = expected.removeValue(forKey: path) else {
                    findings.append(
                        .init(kind: .orphanObject, path: path, itemID: nil, repaired: repair && unlink(path) == 0))
                    continue
                }
                checked += 1
                if (try? Self.sha256(ofFileAt: path)) != record.sha256 {
                    findings.append(.init(kind: .corruptObject, path: path, itemID: record.id, repaired: false))
                }
            }
            for (path, record) in expected.sorted(by: { $0.key < $1.key }) {
                if repair {
                    try self.removeItem(db, record.id, path: path, reason: "verify --repair: object file was missing")
                }
                findings.append(.init(kind: .missingObject, path: path, itemID: record.id, repaired: repair))
            }
            return VerifyReport(checkedObjects: checked, findings: findings)
        }
        return isReadOnly && !repair ? try reading(work) : try writing(work)
    }

    /// Counts and bytes by kind, source type and saved state; remote copies by status.
    public func stats() throws(LibraryError) -> LibraryStats {
        try reading { db in
            func buckets(_ column: String) throws -> [String: LibraryStats.Bucket] {
                var result: [String: LibraryStats.Bucket] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT CAST(\(column) AS TEXT) AS k, COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM items GROUP BY k"
                ) {
                    result[row["k"]] = .init(count: row["n"], bytes: row["b"])
                }
                return result
            }
            let saved = try buckets("saved")
            var remotes: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT remote, status, COUNT(*) AS n FROM remote_copies GROUP BY remote, status")
            {
                remotes[row["remote"], default: [:]][row["status"]] = row["n"]
            }
            let total = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM items")
            return LibraryStats(
                total: .init(count: total?["n"] ?? 0, bytes: total?["b"] ?? 0), byKind: try buckets("kind"),
                bySourceType: try buckets("source_type"), saved: saved["1"] ?? .init(count: 0, bytes: 0),
                drafts: saved["0"] ?? .init(count: 0, bytes: 0), remotes: remotes)
        }
    }

    /// SHA-256 of a file, lowercase hex, read 1 MiB at a time.
    public static func sha256(ofFileAt path: String) throws(LibraryError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, detail: FileSystem.lastError()) }
        defer { close(descriptor) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .unreadable(path: path, detail: FileSystem.lastError()) }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
