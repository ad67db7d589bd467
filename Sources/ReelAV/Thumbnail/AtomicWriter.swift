#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that a reader sees the whole file or nothing: a hidden temporary name in the same folder,
/// `fsync`, then `rename`. Several files are committed together: all are staged before any is renamed.
struct AtomicWriter {
    private var staged: [(temporary: String, final: String)] = []

    /// Fails early, before any decoding, when the folder `path` would be written in is missing, not a folder or
    /// not writable.
    static func checkFolder(of path: String) throws(ThumbnailError) {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var info = stat()
        guard stat(folder.isEmpty ? "/" : folder, &info) == 0 else { throw .cannotWrite(path: path, reason: reason()) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(ENOTDIR)))
        }
        guard access(folder.isEmpty ? "/" : folder, W_OK) == 0 else {
            throw .cannotWrite(path: path, reason: reason())
        }
    }

    /// Writes `bytes` to a temporary file beside `path`.
    mutating func stage(_ bytes: [UInt8], to path: String) throws(ThumbnailError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder.isEmpty ? "" : folder)/.\(name).\(getpid()).\(staged.count).partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: Self.reason()) }
        var written = 0
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while written < buffer.count {
                let result = write(descriptor, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = Self.reason()
                    return
                }
                written += result
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = Self.reason() }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: failure)
        }
        staged.append((temporary, path))
    }

    /// Renames every staged file to its final name and syncs the folders.
    mutating func commit() throws(ThumbnailError) {
        for (index, file) in staged.enumerated() where rename(file.temporary, file.final) != 0 {
            let reason = Self.reason()
            for done in staged[..<index] { unlink(done.final) }
            discard()
            throw .cannotWrite(path: file.final, reason: reason)
        }
        var folders = Set<String>()
        for file in staged { folders.insert(file.final.lastIndex(of: "/").map { String(file.final[..<$0]) } ?? ".") }
        for folder in folders {
            let descriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
        }
        staged = []
    }

    /// Removes every staged temporary file.
    mutating func discard() {
        for file in staged { unlink(file.temporary) }
        staged = []
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
