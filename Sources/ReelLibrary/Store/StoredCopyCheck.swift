import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A look at a stored object taken without holding the catalog's lock: whether its bytes hashed right, and which
/// file that was, so that the verdict is trusted later, under the lock, only while the path still names that file.
struct StoredCopyCheck: Sendable {
    let path: String
    let identity: FileIdentity?
    let damage: StoredCopyDamage?

    /// Hashes the file at `path` (read without any lock) against the item's SHA-256 and size.
    init(path: String, sha256: String, size: Int64) {
        self.path = path
        identity = FileIdentity(path)
        damage =
            switch identity {
            case nil: .missing
            case let identity? where identity.size != size: .corrupt
            default: (try? Library.sha256(ofFileAt: path)) == sha256 ? nil : .corrupt
            }
    }

    /// What is wrong with the stored copy at `path` now, judged under the write lock without reading it again: a
    /// missing file, or one whose size is not the item's, is damaged; the very file `checked` hashed keeps that
    /// verdict; any other file was put there since by an ingest that hashed its bytes, and is intact.
    static func damage(at path: String, size: Int64, checked: StoredCopyCheck?) -> StoredCopyDamage? {
        guard let current = FileIdentity(path) else { return .missing }
        if current.size != size { return .corrupt }
        guard let checked, checked.identity == current else { return nil }
        return checked.damage
    }
}

/// Which file a path names, and whether it changed: device, inode, size and modification time.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The identity of the file at `path`; nil when there is none.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
            modifiedSeconds = Int(info.st_mtimespec.tv_sec)
            modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
            modifiedSeconds = Int(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }
}
