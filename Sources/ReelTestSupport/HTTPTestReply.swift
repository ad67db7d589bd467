import Foundation
import NIOCore
import NIOHTTP1

/// One scripted answer of ``HTTPTestServer``: a file (honouring `Range` and `If-Range` like a real server unless
/// told not to), a status, a redirect, and the ways servers misbehave (dropping, stalling, lying about the length).
public struct HTTPTestReply: Sendable {
    /// The status of a whole answer (a file's may become 206 or 416 for a range).
    public var status: Int
    /// Extra response headers.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: ByteBuffer
    /// For files: answer `Range` requests with 206 (when `If-Range` matches).
    public var honoursRange = false
    /// For files answering ranges: check `If-Range` (else a range of this body is sent whatever it names).
    public var honoursIfRange = true
    /// Close the connection after this many body bytes.
    public var dropAfter: Int?
    /// Send this many body bytes, then nothing more (the connection stays open).
    public var stallAfter: Int?
    /// A `Content-Length` to claim instead of the real one (the connection closes after the real body).
    public var claimedLength: Int?
    /// Send the body with chunked transfer encoding (no `Content-Length`).
    public var chunked = false
    /// Body bytes per write.
    public var chunkSize = 1 << 20
    /// A pause after each write (to trickle).
    public var pause: Duration?

    /// A reply with this status, headers and body.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = ByteBuffer(bytes: body)
    }

    /// A file with optional validators, answering ranges.
    public static func file(
        _ data: Data, etag: String? = nil, lastModified: String? = nil, contentType: String = "video/mp4",
        headers: [(name: String, value: String)] = []
    ) -> HTTPTestReply {
        var validators: [(name: String, value: String)] = [("Content-Type", contentType), ("Accept-Ranges", "bytes")]
        if let etag { validators.append(("ETag", etag)) }
        if let lastModified { validators.append(("Last-Modified", lastModified)) }
        var reply = HTTPTestReply(status: 200, headers: validators + headers, body: data)
        reply.honoursRange = true
        return reply
    }

    /// A bare status with a short text body and optional headers (e.g. `Retry-After`).
    public static func status(_ code: Int, headers: [(name: String, value: String)] = []) -> HTTPTestReply {
        HTTPTestReply(status: code, headers: headers, body: Data("status \(code)\n".utf8))
    }

    /// A redirect to `location` (a path or a full URL).
    public static func redirect(to location: String, status: Int = 302) -> HTTPTestReply {
        HTTPTestReply(status: status, headers: [("Location", location)])
    }

    /// An HTML page served with 200.
    public static func html(_ text: String) -> HTTPTestReply {
        HTTPTestReply(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(text.utf8))
    }

    /// This reply, closing the connection after `count` body bytes.
    public func dropping(after count: Int) -> HTTPTestReply { with { $0.dropAfter = count } }

    /// This reply, stalling after `count` body bytes.
    public func stalling(after count: Int) -> HTTPTestReply { with { $0.stallAfter = count } }

    /// This reply, claiming `length` bytes in `Content-Length` and closing after the real body. Such a server is too broken to answer ranges: every request gets the same short body.
    public func claiming(length: Int) -> HTTPTestReply {
        with {
            $0.claimedLength = length
            $0.honoursRange = false
        }
    }

    /// This reply with chunked transfer encoding.
    public func chunkedEncoding() -> HTTPTestReply { with { $0.chunked = true } }

    /// This reply, answering `Range` with 206 even when `If-Range` names another version (a broken cache or
    /// origin): the range is of this body, with this reply's validators.
    public func ignoringIfRange() -> HTTPTestReply { with { $0.honoursIfRange = false } }

    /// This reply, ignoring `Range` (always the whole body with 200).
    public func ignoringRange() -> HTTPTestReply { with { $0.honoursRange = false } }

    /// This reply, written `size` bytes at a time with `pause` between writes.
    public func trickling(_ size: Int, every pause: Duration) -> HTTPTestReply {
        with {
            $0.chunkSize = size
            $0.pause = pause
        }
    }

    private func with(_ change: (inout HTTPTestReply) -> Void) -> HTTPTestReply {
        var copy = self
        change(&copy)
        return copy
    }

    /// What to send for a request with these headers (names lowercased).
    func response(to request: [String: String]) -> (
        status: HTTPResponseStatus, headers: [(name: String, value: String)], body: ByteBuffer
    ) {
        let whole = (HTTPResponseStatus(statusCode: status), headers, body)
        guard honoursRange, let range = request["range"], range.hasPrefix("bytes="),
            let start = Int(range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)[0])
        else { return whole }
        if honoursIfRange, let condition = request["if-range"] {
            let validators = headers.filter { ["etag", "last-modified"].contains($0.name.lowercased()) }
            guard validators.contains(where: { $0.value == condition }) else { return whole }
        }
        let length = body.readableBytes
        guard start < length, let slice = body.getSlice(at: body.readerIndex + start, length: length - start) else {
            return (.rangeNotSatisfiable, [("Content-Range", "bytes */\(length)")], ByteBuffer())
        }
        return (.partialContent, headers + [("Content-Range", "bytes \(start)-\(length - 1)/\(length)")], slice)
    }
}
