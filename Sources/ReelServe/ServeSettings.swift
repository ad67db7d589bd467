import Foundation

/// Why `reel serve` refused to start. Each reads as one line naming what and why.
public enum ServeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--listen` is not `HOST:PORT`.
    case badListen(String)
    /// A non-loopback address was asked for without `REEL_SERVE_TOKEN`.
    case tokenRequired(host: String)

    public var description: String {
        switch self {
        case .badListen(let text): "--listen \(text): expected HOST:PORT with a port from 0 to 65535 (127.0.0.1:8420)"
        case .tokenRequired(let host):
            "--listen \(host): another address than loopback needs REEL_SERVE_TOKEN set (anyone who can reach "
                + "the port could otherwise read and change the library)"
        }
    }
}

/// How the server listens and whom it lets in.
public struct ServeSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// When set, every request needs it (a bearer header, or the cookie `/login?token=…` sets).
    public var token: String?
    /// Refuse every request that would change the library.
    public var readOnly: Bool

    public static let defaultListen = "127.0.0.1:8420"

    /// Settings from `--listen HOST:PORT`, the token (from `REEL_SERVE_TOKEN`; empty means none) and
    /// `--read-only`. A host other than loopback without a token is refused.
    public init(listen: String = defaultListen, token: String?, readOnly: Bool) throws(ServeError) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw .badListen(listen) }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .badListen(listen) }
        self.host = host
        self.port = port
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.readOnly = readOnly
        if !isLoopback && self.token == nil { throw .tokenRequired(host: host) }
    }

    /// Whether the address is only reachable from this machine.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `http://HOST:PORT` for a port the system chose.
    func url(port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
