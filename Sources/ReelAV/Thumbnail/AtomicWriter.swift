#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An encoded picture or index meant for `path`, not written yet: what ``Thumbnailer/render(_:cancellation:)`` and
/// ``SpriteSheet/render(_:cancellation:)`` hand back, so a caller can put the bytes where it wants (a library's
/// staging folder) and a command can write them all at the end.
public struct ThumbnailFile: Sendable, Hashable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Writes files so that a reader sees the whole file or nothing: a hidden temporary name in the same folder,
/// `fsync`, then `rename`. Several files are committed together: all are staged before any is renamed.
enum AtomicWriter {
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

    /// Writes every file, all of them or none. Without `overwrite`, a file already at one of the paths is never
    /// replaced (not even one that appeared during the work): the error names it and nothing is left.
    static func writeAll(_ files: [ThumbnailFile], overwrite: Bool) throws(ThumbnailError) {
        var staged: [(temporary: String, final: String)] = []
        do throws(ThumbnailError) {
            for file in files { staged.append((try stage(file.bytes, to: file.path, number: staged.count), file.path)) }
            try commit(staged, overwrite: overwrite)
        } catch {
            for file in staged { unlink(file.temporary) }
            throw error
        }
    }

    /// Writes `bytes` to a temporary file beside `path`; returns its name.
    private static func stage(_ bytes: [UInt8], to path: String, number: Int) throws(ThumbnailError) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder.isEmpty ? "" : folder)/.\(name).\(getpid()).\(number).partial"
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
        return temporary
    }

    /// Renames (or, without `overwrite`, hard-links then unlinks: link(2) refuses an existing name) every staged
    /// file to its final name and syncs the folders. On a failure the files already placed are removed again.
    private static func commit(
        _ staged: [(temporary: String, final: String)], overwrite: Bool
    ) throws(ThumbnailError) {
        for (index, file) in staged.enumerated() {
            let placed = overwrite ? rename(file.temporary, file.final) == 0 : link(file.temporary, file.final) == 0
            guard placed else {
                let reason = errno == EEXIST ? "exists (use --force to replace it)" : Self.reason()
                for done in staged[..<index] { unlink(done.final) }
                throw .cannotWrite(path: file.final, reason: reason)
            }
            if !overwrite { unlink(file.temporary) }
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
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
