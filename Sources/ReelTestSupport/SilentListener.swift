import NIOCore
import NIOPosix

/// A TCP port on 127.0.0.1 that never lets a connection through: it never accepts, and its one-slot backlog is
/// already taken, so the kernel drops new connection attempts and clients wait until their connect timeout.
public final class SilentListener: Sendable {
    /// The port nobody gets through to.
    public let port: Int
    private let channels: [any Channel]

    private init(port: Int, channels: [any Channel]) {
        self.port = port
        self.channels = channels
    }

    /// Binds 127.0.0.1 port 0 without accepting, and fills the backlog.
    public static func start() async throws -> SilentListener {
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 0)
            .serverChannelOption(.autoRead, value: false)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 0
        var fillers: [any Channel] = []
        for _ in 0..<3 {
            let connecting = ClientBootstrap(group: group).connectTimeout(.milliseconds(200))
                .connect(host: "127.0.0.1", port: port)
            if let filler = try? await connecting.get() { fillers.append(filler) }
        }
        return SilentListener(port: port, channels: [listener] + fillers)
    }

    /// Closes the listener and the connections that filled its backlog.
    public func stop() async {
        for channel in channels { try? await channel.close() }
    }
}
