import Foundation

/// Scheme, host and port: where a request goes, and so where the headers given for it may go.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int

    /// The origin of an http(s) URL (port 443 or 80 unless given), or nil for anything else.
    public init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    /// The origin a `REEL_FETCH_HEADERS` key names: `host` and `host:port` are https (443 unless given); plain http
    /// only when spelled out, `http://host:port` (80 unless given). Nil for a key with a path, query or user.
    public init?(key: String) {
        let url = key.contains("://") ? key : "https://\(key)"
        guard let components = URLComponents(string: url), ["", "/"].contains(components.percentEncodedPath),
            components.query == nil, components.fragment == nil, components.user == nil, Origin(url: url) != nil
        else { return nil }
        self.init(url: url)
    }

    /// `https://api.example.com:443`.
    public var description: String { "\(scheme)://\(host):\(port)" }
}
