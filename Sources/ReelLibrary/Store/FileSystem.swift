import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, honest wrappers over the POSIX calls durability depends on (Foundation hides fsync and errno).
enum FileSystem {
    /// `strerror(errno)` text.
    static func lastError() -> String { String(cString: strerror(errno)) }

    /// Flushes a folder's entries (after a rename or create) to disk.
    static func syncDirectory(_ path: String) throws(LibraryError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw .writeFailed(path: path, detail: lastError()) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .writeFailed(path: path, detail: lastError()) }
    }

    /// Atomically renames `source` to `destination` (same file system), replacing it if present.
    static func rename(_ source: String, to destination: String) throws(LibraryError) {
        guard Foundation.rename(source, destination) == 0 else {
            throw .writeFailed(path: destination, detail: lastError())
        }
    }

    /// Creates a folder and its parents.
    static func makeDirectory(_ path: String) throws(LibraryError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: path, detail: (error as NSError).localizedDescription)
        }
    }

    /// Whether another open file holds an exclusive or shared `flock` on the file at `path` (a live process writing
    /// or running there). A file that cannot be opened is not locked.
    static func isLockedByAnother(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(descriptor, LOCK_UN)
        return false
    }

    /// Whether the path is a writable folder for this process.
    static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }
}
