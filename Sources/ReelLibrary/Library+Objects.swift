import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An item's stored copy, open for reading: the descriptor of a regular file inside the library's objects/ whose
/// size is the item's. Closed when the value is released.
public final class OpenObject: Sendable {
    /// The open descriptor (read only).
    public let descriptor: Int32
    public let size: Int64

    init(descriptor: Int32, size: Int64) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }
}

extension Library {
    /// Opens `item`'s stored copy for reading, refusing anything that is not the library's own file: a symlink
    /// (at the object or at a folder on the way), a path that resolves outside objects/, a file that is not
    /// regular, or one whose size is not the item's (the stored copy is then damaged: `reel library verify`).
    public func openObject(_ item: Item) throws(LibraryError) -> OpenObject {
        let path = objectPath(sha256: item.sha256, ext: item.ext)
        guard let objects = realpath(objectsDirectory, nil) else { throw .missingObject(id: item.id, path: path) }
        defer { free(objects) }
        guard let resolved = realpath(path, nil) else { throw .missingObject(id: item.id, path: path) }
        defer { free(resolved) }
        let inside = String(cString: objects) + "/"
        guard String(cString: resolved) == (inside + path.dropFirst(objectsDirectory.count + 1)) else {
            throw .unreadable(path: path, detail: "not the library's own file (a symlink); refused")
        }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw errno == ELOOP
                ? .unreadable(path: path, detail: "a symlink; refused")
                : .missingObject(id: item.id, path: path)
        }
        let object = OpenObject(descriptor: descriptor, size: item.size)
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(path: path, detail: "not a regular file; refused")
        }
        guard Int64(info.st_size) == item.size else {
            throw .unreadable(
                path: path, detail: "\(info.st_size) bytes, not the item's \(item.size): damaged (reel library verify)")
        }
        return object
    }

    /// For each of `ids`, the newest thumbnail made of it (its poster), when there is one.
    public func posters(of ids: [String]) throws(LibraryError) -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try reading { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT lineage.input_id AS video, lineage.item_id AS poster FROM lineage
                    JOIN items ON items.id = lineage.item_id
                    WHERE lineage.role = 'thumbnail-of' AND lineage.input_id IN (\(ids.map { _ in "?" }
                        .joined(separator: ",")))
                    ORDER BY items.created_at
                    """, arguments: StatementArguments(ids))
            var posters: [String: String] = [:]
            for row in rows { posters[row["video"]] = row["poster"] }
            return posters
        }
    }
}
