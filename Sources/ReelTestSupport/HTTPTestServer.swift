import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 (a port of the kernel's choosing) that answers each path with a script of
/// replies, and records every request it receives with the body bytes it sent back.
///
/// Start it in a test, route paths, point the client at ``url(_:)`` and ``stop()`` it at the end.
public final class HTTPTestServer: Sendable {
    /// One request as the server saw it, and how many body bytes it answered with.
    public struct Request: Sendable {
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

    private let state = Locked(State())
    private let serverChannel: any Channel
    private let acceptor: Task<Void, Never>
    /// The port the server listens on.
    public let port: Int

    private init(serverChannel: any Channel, acceptor: Task<Void, Never>, port: Int) {
        self.serverChannel = serverChannel
        self.acceptor = acceptor
        self.port = port
    }

    /// Binds 127.0.0.1 port 0 and starts answering.
    public static func start() async throws -> HTTPTestServer {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let port = listener.channel.localAddress?.port ?? 0
        let box = Locked<HTTPTestServer?>(nil)
        let acceptor = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            guard let server = box.withLock({ $0 }) else { return }
                            server.state.withLock { $0.connections.append(connection.channel) }
                            group.addTask { await server.serve(connection) }
                        }
                    }
                } catch {
                    return
                }
            }
        }
        let server = HTTPTestServer(serverChannel: listener.channel, acceptor: acceptor, port: port)
        box.withLock { $0 = server }
        return server
    }

    /// Closes the listener and every open connection, and waits for the handlers to end.
    public func stop() async {
        let connections = state.withLock { $0.connections }
        for channel in connections { channel.close(promise: nil) }
        serverChannel.close(promise: nil)
        acceptor.cancel()
        await acceptor.value
    }

    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

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

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let received): head = received
                case .body: continue
                case .end:
                    guard let request = head else { continue }
                    guard try await answer(request, outbound) else { return }
                }
            }
        }
    }

    /// Sends the scripted reply (404 for an unrouted path); false when the connection must close (a drop, a stall
    /// or a lie about the length).
    private func answer(_ head: HTTPRequestHead, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>)
        async throws -> Bool
    {
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let (index, reply) = state.withLock { state in
            let earlier = state.requests.filter { $0.path == path }.count
            state.requests.append(Request(path: path, target: head.uri, headers: headers, bytesSent: 0))
            let replies = state.routes[path] ?? []
            let scripted = replies.isEmpty ? nil : replies[min(earlier, replies.count - 1)]
            return (state.requests.count - 1, scripted ?? .status(404))
        }
        let response = reply.response(to: headers)
        var responseHeaders = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        if reply.chunked {
            responseHeaders.add(name: "Transfer-Encoding", value: "chunked")
        } else {
            responseHeaders.replaceOrAdd(
                name: "Content-Length", value: String(reply.claimedLength ?? response.body.readableBytes))
        }
        try await outbound.write(
            .head(HTTPResponseHead(version: .http1_1, status: response.status, headers: responseHeaders)))
        var body = response.body
        var limit = reply.dropAfter ?? reply.stallAfter ?? Int.max
        if response.status != .ok && response.status != .partialContent { limit = Int.max }
        let chunkSize = reply.chunkSize
        while body.readableBytes > 0 && limit > 0 {
            let count = min(chunkSize, body.readableBytes, limit)
            guard let chunk = body.readSlice(length: count) else { break }
            try await outbound.write(.body(.byteBuffer(chunk)))
            limit -= count
            state.withLock { $0.requests[index].bytesSent += count }
            if let pause = reply.pause { try await Task.sleep(for: pause) }
        }
        let cutShort = limit == 0 && body.readableBytes > 0
        if cutShort || reply.claimedLength != nil {
            // A stall keeps the connection open until the client gives up; a drop first lets the bytes written
            // reach the socket, so the client sees exactly them and then the end of the connection.
            try await Task.sleep(for: cutShort && reply.stallAfter != nil ? .seconds(3600) : .milliseconds(100))
            return false
        }
        try await outbound.write(.end(nil))
        return true
    }
}
