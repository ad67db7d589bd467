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

    /// Copies an item's file to `destination` atomically, hashing while it copies: a stored copy that does not
    /// hash to the item's SHA-256 is refused and nothing is written. An existing file is kept unless `overwrite`.
    public func export(_ reference: String, to destination: String, overwrite: Bool = false) throws(LibraryError)
        -> Item
    {
        let item = try item(reference)
        try Overwrite.check(destination, allowed: overwrite)
        guard FileIdentity(item.path) != nil else { throw .missingObject(id: item.id, path: item.path) }
        let copy = try StagingFile.beside(destination)
        try copy.copy(from: item.path)
        let sha256 = try copy.seal()
        guard sha256 == item.sha256 else { throw .corruptObject(id: item.id, path: item.path, sha256: sha256) }
        _ = try copy.commit(to: destination, overwrite: overwrite)
        return item
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
