import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Proof that this process is running a run: an exclusive `flock` on `runs/<run id>.lock`, held from before the
/// run's row is written until after it is finished. The kernel drops the lock when the process ends in any way
/// (kill -9 included), so a reader tells a live run from one whose process died by trying the lock; unlike a pid,
/// a lock cannot be inherited by an unrelated process that happens to reuse the number.
public final class RunLease {
    /// The lock file.
    public let path: String
    private var descriptor: Int32

    /// Creates and locks the lock file of run `id` in `folder`.
    init(folder: String, id: String) throws(LibraryError) {
        path = (folder as NSString).appendingPathComponent("\(id).lock")
        descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: path, detail: FileSystem.lastError()) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let detail = FileSystem.lastError()
            close(descriptor)
            unlink(path)
            throw .writeFailed(path: path, detail: detail)
        }
    }

    /// Whether a live process holds the lock of the run whose lock file is `path`. A missing file is not held.
    static func isHeld(_ path: String) -> Bool { FileSystem.isLockedByAnother(path) }

    /// Ends the lease once the run's row is final: the lock file goes, then the lock.
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    deinit { if descriptor >= 0 { close(descriptor) } }
}

@available(*, unavailable)
extension RunLease: Sendable {}
