import CReelFile
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written into the library's staging folder, hashed (SHA-256) as its bytes go by, so nothing is
/// read twice. Producers (a copy, a download, an encoder) write into it; ``Library/ingest(_:_:)`` makes it an item.
/// Dropped without being ingested, it deletes itself.
public final class StagingFile {
    /// Where the bytes are while in flight.
    public let path: String
    private let descriptor: Int32
    private var hasher = SHA256()
    /// Bytes written so far.
    public private(set) var size: Int64 = 0
    private var finished = false
    /// Where the bytes not yet handed to the disk's writeback start.
    private var writebackStart: Int64 = 0
    /// Bytes written before the kernel is asked to start writing them back.
    static let writebackWindow: Int64 = 8 << 20

    /// A new file in `directory`: `<uuid>.part`, hidden with a leading dot, or `<uuid>.<ext>` when a producer
    /// needs the extension to choose its format.
    init(directory: String, hidden: Bool = false, ext: String? = nil) throws(LibraryError) {
        let name = "\(hidden ? "." : "")\(UUID().uuidString.lowercased()).\(ext ?? "part")"
        path = (directory as NSString).appendingPathComponent(name)
        descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let detail = FileSystem.lastError()
            if errno == EROFS || errno == EACCES { throw .readOnly(path: directory, detail: detail) }
            throw .writeFailed(path: path, detail: detail)
        }
        // Held until the process ends, so `verify` can tell a live write from a crashed one's leftover.
        flock(descriptor, LOCK_EX | LOCK_NB)
    }

    /// A hidden staging file in `directory`, for a file written outside a library (``commit(to:overwrite:)``).
    public static func beside(_ destination: String) throws(LibraryError) -> StagingFile {
        let folder = (destination as NSString).deletingLastPathComponent
        return try StagingFile(directory: folder.isEmpty ? "." : folder, hidden: true)
    }

    /// Flushes the bytes, renames the file to `destination` (in the same folder) and flushes the folder, so the
    /// file appears whole or not at all. An existing file is replaced only with `overwrite`. Returns the SHA-256.
    public func commit(to destination: String, overwrite: Bool) throws(LibraryError) -> String {
        let sha256 = try seal()
        if overwrite {
            try FileSystem.rename(path, to: destination)
        } else {
            // link(2) fails when the destination exists, so a file that appeared meanwhile is never replaced.
            guard link(path, destination) == 0 else {
                if errno == EEXIST { throw .exists(destination) }
                throw .writeFailed(path: destination, detail: FileSystem.lastError())
            }
            unlink(path)
        }
        handedOver()
        let folder = (destination as NSString).deletingLastPathComponent
        try FileSystem.syncDirectory(folder.isEmpty ? "." : folder)
        return sha256
    }

    /// Whether a live process is still writing the staging file at `path`.
    static func isInUse(_ path: String) -> Bool { FileSystem.isLockedByAnother(path) }

    deinit {
        close(descriptor)
        if !finished { unlink(path) }
    }

    /// Appends bytes and adds them to the hash.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(LibraryError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, detail: FileSystem.lastError())
            }
            offset += written
        }
        hasher.update(bufferPointer: bytes)
        size += Int64(bytes.count)
        if size - writebackStart >= Self.writebackWindow { startWriteback() }
    }

    /// Asks the kernel to start writing the bytes since the last call to disk, without waiting, so that the fsync
    /// in ``seal()`` finds little left to write. Only a hint: a failure to write shows in that fsync.
    private func startWriteback() {
        _ = reel_start_writeback(descriptor, writebackStart, size - writebackStart)
        writebackStart = size
    }

    /// Appends `data`.
    public func write(_ data: Data) throws(LibraryError) {
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(LibraryError) in try write(bytes) }
        }
        try result.get()
    }

    /// Empties the file and the hash, to start over (a download whose server ignored a resume).
    public func restart() throws(LibraryError) {
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw .writeFailed(path: path, detail: FileSystem.lastError())
        }
        hasher = SHA256()
        size = 0
        writebackStart = 0
    }

    /// Flushes the bytes to disk and returns their SHA-256 (lowercase hex). No more writes after this; the file
    /// stays open (and locked) until it is renamed into place or dropped.
    func seal() throws(LibraryError) -> String {
        FaultInjection.point(.afterStagingWrite)
        guard fsync(descriptor) == 0 else { throw .writeFailed(path: path, detail: FileSystem.lastError()) }
        FaultInjection.point(.afterFsync)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The file now belongs elsewhere (renamed into objects/ or deleted by the caller).
    func handedOver() { finished = true }

    /// Copies the file at `source` in, hashing during the copy (one pass, 1 MiB at a time).
    public func copy(from source: String) throws(LibraryError) {
        try Self.read(source) { (chunk) throws(LibraryError) in try write(chunk) }
    }

    /// Takes as the staged bytes what a producer wrote to ``path`` by name (an encoder that opens the file itself
    /// and rewrites parts of it, as MP4's faststart does): reads them once to hash them. Nothing may have gone
    /// through ``write(_:)`` before.
    public func adoptWrittenBytes() throws(LibraryError) {
        hasher = SHA256()
        size = 0
        try Self.read(path) { (chunk) throws(LibraryError) in
            hasher.update(bufferPointer: chunk)
            size += Int64(chunk.count)
        }
    }

    /// Reads the file at `source` from the start, 1 MiB at a time.
    private static func read(
        _ source: String, _ body: (UnsafeRawBufferPointer) throws(LibraryError) -> Void
    ) throws(LibraryError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .unreadable(path: source, detail: FileSystem.lastError()) }
        defer { close(input) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Foundation.read(input, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: source, detail: FileSystem.lastError())
            }
            if count == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

@available(*, unavailable)
extension StagingFile: Sendable {}
