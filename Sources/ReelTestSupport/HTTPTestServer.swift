import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A real HTTP/1.1 server on 127.0.0.1 (a port of the kernel's choosing) that answers each path with a script of
/// replies, and records every request it receives with the body bytes it sent back.
///
/// Start it in a test, route paths, point the client at ``url(_:)`` and ``stop()`` it at the end.
public final class HTTPTestServer: Sendable {
    /// One request as the server saw it, and how many body bytes it answered with.
    public struct Request: Sendable {
        /// `GET`, `HEAD`, `PUT`…
        public var method: String
        /// The request target's path (without the query).
        public var path: String
        /// The full request target, query included.
        public var target: String
        /// Header names (lowercased) to values.
        public var headers: [String: String]
        /// Body bytes written back, so far.
        public var bytesSent: Int
    }

    private struct State {
        var routes: [String: [HTTPTestReply]] = [:]
        var requests: [Request] = []
        var connections: [any Channel] = []
    }

    /// The servers' own event loops: every request is answered there, never on Swift's cooperative pool, which
    /// tests blocked on a child process (or on ffmpeg) may fill for seconds at a time.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    private let state = Locked(State())
    private let listener: any Channel
    /// The port the server listens on.
    public let port: Int
    /// `https` when the server speaks TLS, else `http`.
    public let scheme: String

    private init(listener: any Channel, scheme: String) {
        self.listener = listener
        self.port = listener.localAddress?.port ?? 0
        self.scheme = scheme
    }

    /// Binds 127.0.0.1 port 0 and starts answering; over TLS with `certificate` when given (HTTPS).
    public static func start(tls certificate: TestCertificate? = nil) async throws -> HTTPTestServer {
        let server = Locked<HTTPTestServer?>(nil)
        let tls = try certificate.map { certificate in
            try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificatePath).map {
                        .certificate($0)
                    },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyPath, format: .pem))))
        }
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    guard let owner = server.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    owner.state.withLock { $0.connections.append(channel) }
                    try channel.pipeline.syncOperations.addHandler(Responder(server: owner))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let started = HTTPTestServer(listener: listener, scheme: certificate == nil ? "http" : "https")
        server.withLock { $0 = started }
        return started
    }

    /// Closes the listener and every open connection.
    public func stop() async {
        let connections = state.withLock { $0.connections }
        for channel in connections { try? await channel.close() }
        try? await listener.close()
    }

    /// `http://127.0.0.1:<port><path>` (`https` over TLS).
    public func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// Answers `path` with `replies` in turn: the first request gets the first, and the last repeats.
    public func route(_ path: String, _ replies: HTTPTestReply...) { route(path, replies) }

    /// Answers `path` with `replies` in turn: the first request gets the first, and the last repeats.
    public func route(_ path: String, _ replies: [HTTPTestReply]) {
        state.withLock { $0.routes[path] = replies }
    }

    /// Every request received so far, in order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// The requests received for `path`.
    public func requests(for path: String) -> [Request] { requests.filter { $0.path == path } }

    /// Body bytes sent for `path`, over all its requests.
    public func bytesSent(for path: String) -> Int { requests(for: path).reduce(0) { $0 + $1.bytesSent } }

    /// Records a request and picks its scripted reply (404 for an unrouted path); returns the request's index.
    fileprivate func reply(to head: HTTPRequestHead) -> (index: Int, reply: HTTPTestReply, headers: [String: String]) {
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        return state.withLock { state in
            let earlier = state.requests.filter { $0.path == path }.count
            state.requests.append(
                Request(method: head.method.rawValue, path: path, target: head.uri, headers: headers, bytesSent: 0))
            let replies = state.routes[path] ?? []
            let scripted = replies.isEmpty ? nil : replies[min(earlier, replies.count - 1)]
            return (state.requests.count - 1, scripted ?? .status(404), headers)
        }
    }

    fileprivate func count(_ bytes: Int, forRequest index: Int) {
        state.withLock { $0.requests[index].bytesSent += bytes }
    }
}

/// Answers the requests of one connection with their scripted replies, on the connection's event loop.
private final class Responder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: HTTPTestServer
    private var head: HTTPRequestHead?

    init(server: HTTPTestServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received): head = received
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            answer(request, context: context)
        }
    }

    private func answer(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let (index, reply, requestHeaders) = server.reply(to: request)
        let response = reply.response(to: requestHeaders)
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        if reply.chunked {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else {
            headers.replaceOrAdd(
                name: "Content-Length", value: String(reply.claimedLength ?? response.body.readableBytes))
        }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers))),
            promise: nil)
        // A HEAD answer is the head alone, its Content-Length the body's it stands for.
        guard request.method != .HEAD else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        var limit = reply.dropAfter ?? reply.stallAfter ?? Int.max
        if response.status != .ok && response.status != .partialContent { limit = Int.max }
        send(response.body, limit: limit, reply: reply, index: index, context: context)
    }

    /// Writes the body a chunk at a time, the next only once the last has reached the socket (so a client that
    /// stops reading stops the server, and `bytesSent` counts what really went out), pausing between chunks to
    /// trickle; then ends, drops or stalls.
    private func send(
        _ body: ByteBuffer, limit: Int, reply: HTTPTestReply, index: Int, context: ChannelHandlerContext
    ) {
        var body = body
        let count = min(reply.chunkSize, body.readableBytes, limit)
        guard count > 0, let chunk = body.readSlice(length: count) else {
            return finish(cutShort: limit == 0 && body.readableBytes > 0, reply: reply, context: context)
        }
        let next = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let server = self.server
        let rest = body
        let remaining = limit - count
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(chunk)))).whenSuccess {
            server.count(count, forRequest: index)
            let (handler, context) = next.value
            let pause = reply.pause.map {
                TimeAmount.nanoseconds(
                    Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000)
            }
            guard let pause, rest.readableBytes > 0, remaining > 0 else {
                return handler.send(rest, limit: remaining, reply: reply, index: index, context: context)
            }
            context.eventLoop.scheduleTask(in: pause) {
                let (handler, context) = next.value
                handler.send(rest, limit: remaining, reply: reply, index: index, context: context)
            }
        }
    }

    private func finish(cutShort: Bool, reply: HTTPTestReply, context: ChannelHandlerContext) {
        guard cutShort || reply.claimedLength != nil else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        // A stall keeps the connection open until the client gives up (or the server stops); a drop first lets the
        // bytes written reach the socket, so the client sees exactly them and then the end of the connection.
        guard !(cutShort && reply.stallAfter != nil) else { return }
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .milliseconds(100)) { channel.close(promise: nil) }
    }
}
