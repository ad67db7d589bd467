import Foundation

/// Where a bucket lives: the server's endpoint, the bucket's name, the region to sign for, and how the bucket is
/// addressed.
public struct S3Location: Sendable, Equatable {
    /// The server, e.g. `https://s3.us-east-1.amazonaws.com` or `http://127.0.0.1:8333`. A path in it is kept as a
    /// prefix of every request path.
    public var endpoint: URL
    /// The bucket's name.
    public var bucket: String
    /// The region requests are signed for: `us-east-1` unless the provider says otherwise (Cloudflare R2 uses `auto`).
    public var region: String
    /// `true`: `endpoint/bucket/key` (needed for IP addresses and most self-hosted servers). `false`: virtual-hosted
    /// style, `bucket.endpoint/key`.
    public var pathStyle: Bool

    /// A bucket at `endpoint`, signed for `region`, addressed path-style unless `pathStyle` is `false`.
    public init(endpoint: URL, bucket: String, region: String = "us-east-1", pathStyle: Bool = true) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.pathStyle = pathStyle
    }

    /// `scheme://host[:port]` of the endpoint, as named in connection errors.
    var origin: String {
        var components = URLComponents()
        components.scheme = endpoint.scheme
        components.host = endpoint.host
        components.port = endpoint.port
        return components.string ?? endpoint.absoluteString
    }

    /// The URL of `key` in the bucket (`nil` for the bucket itself) with `query`, every part encoded as SigV4 signs
    /// it.
    func url(key: String?, query: [(String, String)] = []) throws(RemoteError) -> URL {
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let endpointHost = endpoint.host, !endpointHost.isEmpty
        else { throw .invalidArgument("the endpoint \(endpoint.absoluteString) is not an http(s) URL with a host") }
        guard !bucket.isEmpty, !bucket.contains("/") else {
            throw .invalidArgument("\"\(bucket)\" is not a bucket name")
        }
        if let key, key.isEmpty { throw .invalidArgument("an object key cannot be empty") }
        var host = endpointHost
        var path = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        if pathStyle {
            path += "/" + S3Encoding.encode(bucket)
        } else {
            host = bucket + "." + host
        }
        if let key {
            path += "/" + S3Encoding.encodePath(key)
        } else if path.isEmpty {
            path = "/"
        }
        var text = scheme + "://" + (host.contains(":") ? "[\(host)]" : host)
        if let port = endpoint.port { text += ":\(port)" }
        text += path
        if !query.isEmpty { text += "?" + S3Encoding.canonicalQuery(query) }
        guard let url = URL(string: text) else { throw .invalidArgument("cannot make a URL of \(text)") }
        return url
    }
}
