import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import ReelLibrary

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An item's bytes: found by its id only (the path comes from the catalog, never from the request), typed by its
/// extension, tagged with its SHA-256, cached as immutable (the same id always has the same bytes), and read from
/// disk a chunk at a time so a large object never sits in memory. `Range` gives 206 (or 416), `If-None-Match` 304.
enum Media {
    /// Bytes read from disk at a time.
    static let chunkLength = 1 << 20

    static func response(library: Library, item: Item, request: Request) throws -> Response {
        let etag = "\"\(item.sha256)\""
        var headers: HTTPFields = [
            .contentType: Library.mimeType(forExtension: item.ext), .eTag: etag, .acceptRanges: "bytes",
            .cacheControl: "public, max-age=31536000, immutable", contentTypeOptions: "nosniff",
        ]
        if let match = request.headers[.ifNoneMatch],
            match == "*" || match.split(separator: ",").contains(where: { tag($0) == item.sha256 })
        {
            return Response(status: .notModified, headers: headers)
        }
        let object = try library.openObject(item)
        var range = ByteRangeRequest(header: request.headers[.range], size: object.size)
        if let ifRange = request.headers[.ifRange], tag(ifRange[...]) != item.sha256 { range = .whole }
        let bytes: ClosedRange<Int64>?
        let status: HTTPResponse.Status
        switch range {
        case .whole:
            status = .ok
            bytes = object.size > 0 ? 0...(object.size - 1) : nil
        case .part(let part):
            status = .partialContent
            bytes = part
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(object.size)"
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(object.size)"
            headers[.contentType] = "application/json; charset=utf-8"
            let message =
                "range \(request.headers[.range] ?? "") is past the end of item \(item.id) (\(object.size) bytes)"
            var body = (try? JSONEncoder.sorted.encode(["error": message])) ?? Data()
            body.append(0x0A)
            return Response(
                status: .rangeNotSatisfiable, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        guard let bytes, request.method != .head else {
            headers[.contentLength] = String(bytes?.count ?? 0)
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        return Response(status: status, headers: headers, body: body(object, bytes))
    }

    /// A body that reads `bytes` of `object` on the thread pool a chunk at a time, the next chunk read while the
    /// client takes the one before: at most two chunks are in memory.
    private static func body(_ object: OpenObject, _ bytes: ClosedRange<Int64>) -> ResponseBody {
        ResponseBody(contentLength: bytes.count) { writer in
            func chunk(at offset: Int64) -> Task<ByteBuffer, any Error>? {
                guard offset <= bytes.upperBound else { return nil }
                let length = Int(min(Int64(chunkLength), bytes.upperBound - offset + 1))
                return Task {
                    try await NIOThreadPool.singleton.runIfActive { try read(object, at: offset, length: length) }
                }
            }
            var next = chunk(at: bytes.lowerBound)
            var offset = bytes.lowerBound
            while let reading = next {
                let buffer = try await reading.value
                offset += Int64(buffer.readableBytes)
                next = chunk(at: offset)
                do {
                    try await writer.write(buffer)
                } catch {
                    next?.cancel()
                    throw error
                }
            }
            try await writer.finish(nil)
        }
    }

    private static func read(_ object: OpenObject, at offset: Int64, length: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        var filled = 0
        while filled < length {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length - filled) { pointer in
                max(0, pread(object.descriptor, pointer.baseAddress, length - filled, off_t(offset) + off_t(filled)))
            }
            guard count > 0 else { throw APIError(.internalServerError, "stored copy shrank while being sent") }
            filled += count
        }
        return buffer
    }

    /// The SHA-256 in an entity tag (`"…"` or `W/"…"`).
    private static func tag(_ text: Substring) -> String {
        var tag = text.trimmingCharacters(in: .whitespaces)
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        return tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    private static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
