import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a local file for a request body: streamed in chunks for a single PUT, or one range at a time for a
/// multipart part.
enum FileBody {
    /// Fails unless the file at `path` can be opened for reading.
    static func checkReadable(_ path: String) throws(RemoteError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, detail: FileSystem.lastError()) }
        close(descriptor)
    }

    /// The `count` bytes of the file at `path` from `offset`; fails if the file is shorter (it changed under us).
    static func read(path: String, offset: Int64, count: Int) throws(RemoteError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, detail: FileSystem.lastError()) }
        defer { close(descriptor) }
        return try read(path: path, descriptor: descriptor, offset: offset, count: count)
    }

    /// The `count` bytes from `offset` of `path`, open as `descriptor`.
    static func read(path: String, descriptor: Int32, offset: Int64, count: Int) throws(RemoteError) -> Data {
        var data = Data(count: count)
        var filled = 0
        var failure: String?
        data.withUnsafeMutableBytes { buffer in
            while filled < count, failure == nil, let base = buffer.baseAddress {
                let got = pread(descriptor, base + filled, count - filled, off_t(offset) + off_t(filled))
                if got < 0 && errno == EINTR { continue }
                if got < 0 {
                    failure = FileSystem.lastError()
                } else if got == 0 {
                    failure = "the file is shorter than expected (it changed during the upload)"
                } else {
                    filled += got
                }
            }
        }
        if let failure { throw .unreadableFile(path: path, detail: failure) }
        return data
    }

    /// The first `size` bytes of the file at `path` as a sequence of chunks, reporting the bytes read so far to
    /// `progress`. Each iteration opens the file again, so a retried request starts from the beginning.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer

        let path: String
        let size: Int64
        let chunkSize: Int
        let progress: @Sendable (Int64) -> Void

        func makeAsyncIterator() -> Iterator { Iterator(chunks: self) }

        /// Reads one chunk per call; closes the file when it is done or dropped.
        final class Iterator: AsyncIteratorProtocol {
            private let chunks: Chunks
            private var descriptor: Int32 = -1
            private var offset: Int64 = 0

            init(chunks: Chunks) { self.chunks = chunks }

            deinit { if descriptor >= 0 { close(descriptor) } }

            func next() async throws -> ByteBuffer? {
                guard offset < chunks.size else { return nil }
                if descriptor < 0 {
                    descriptor = open(chunks.path, O_RDONLY | O_CLOEXEC)
                    guard descriptor >= 0 else {
                        throw RemoteError.unreadableFile(path: chunks.path, detail: FileSystem.lastError())
                    }
                }
                let count = Int(Swift.min(Int64(chunks.chunkSize), chunks.size - offset))
                let data = try FileBody.read(path: chunks.path, descriptor: descriptor, offset: offset, count: count)
                offset += Int64(count)
                chunks.progress(offset)
                return ByteBuffer(bytes: data)
            }
        }
    }
}
