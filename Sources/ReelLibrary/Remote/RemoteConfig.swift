import Foundation

/// A named S3-compatible bucket in the library's config file (`reel remote add`). Never holds credentials: those
/// come from the environment (``credentialVariables(for:)``).
///
/// Examples (the endpoint is the only part that differs between services):
/// - Cloudflare R2: `--endpoint https://<account>.r2.cloudflarestorage.com --region auto`
/// - AWS S3: `--endpoint https://s3.<region>.amazonaws.com --region <region>`
/// - MinIO: `--endpoint http://minio.local:9000 --path-style`
/// - Supabase Storage: `--endpoint https://<project>.supabase.co/storage/v1/s3 --region <region> --path-style`
public struct RemoteConfig: Sendable, Codable, Equatable {
    /// The service's base URL (scheme, host, optional port and path prefix).
    public var endpoint: String
    public var bucket: String
    /// Signing region (`us-east-1`; R2 takes `auto`).
    public var region: String
    /// Address the bucket in the path (`endpoint/bucket/key`) rather than the host name (`bucket.host/key`).
    public var pathStyle: Bool
    /// Where the objects can be read publicly (a CDN or the bucket's public domain), for recorded URLs.
    public var publicURL: String?
    /// The default key template for items saved to this remote.
    public var key: String?
    /// A PEM bundle of certificate authorities to trust for this endpoint (a private CA), besides the system's
    /// and those `SSL_CERT_FILE` and `REEL_CA_FILE` name.
    public var caFile: String?

    /// The key template used when neither the command nor the config gives one.
    public static let defaultKeyTemplate = "${id}.${ext}"

    public init(
        endpoint: String, bucket: String, region: String = "us-east-1", pathStyle: Bool = false,
        publicURL: String? = nil, key: String? = nil, caFile: String? = nil
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.pathStyle = pathStyle
        self.publicURL = publicURL
        self.key = key
        self.caFile = caFile
    }

    enum CodingKeys: String, CodingKey {
        case endpoint, bucket, region
        case pathStyle = "path_style"
        case publicURL = "public_url"
        case key
        case caFile = "ca_file"
    }

    /// Every key, `null` when not set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(endpoint, forKey: .endpoint)
        try container.encode(bucket, forKey: .bucket)
        try container.encode(region, forKey: .region)
        try container.encode(pathStyle, forKey: .pathStyle)
        try container.encode(publicURL, forKey: .publicURL)
        try container.encode(key, forKey: .key)
        try container.encode(caFile, forKey: .caFile)
    }

    /// Checks the name and settings a user gave, in plain words.
    public static func validate(name: String, _ config: RemoteConfig) throws(LibraryError) {
        let nameCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(nameCharacters.contains), name.first != "-" else {
            throw .invalidArgument("remote name \"\(name)\": use letters, digits, - and _")
        }
        guard let url = URL(string: config.endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false, url.query == nil
        else {
            throw .invalidArgument(
                "remote \(name): endpoint \"\(config.endpoint)\" is not an http(s) URL like https://s3.amazonaws.com")
        }
        let bucketCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard (3...63).contains(config.bucket.count), config.bucket.unicodeScalars.allSatisfy(bucketCharacters.contains)
        else {
            throw .invalidArgument(
                "remote \(name): bucket \"\(config.bucket)\" is not a bucket name (3 to 63 lowercase letters, digits, "
                    + ". and -)")
        }
        if let publicURL = config.publicURL, URL(string: publicURL)?.host == nil {
            throw .invalidArgument("remote \(name): public URL \"\(publicURL)\" is not a URL")
        }
        if let caFile = config.caFile {
            do throws(TLSError) {
                try TrustRoots(bundles: [.init(path: caFile, source: "remote \(name) ca_file")]).check()
            } catch {
                throw .invalidArgument("remote \(name): \(error)")
            }
        }
    }

    /// The environment variables holding this remote's credentials, most specific first:
    /// `REEL_REMOTE_<NAME>_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY` (`_SESSION_TOKEN`), then `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` (`AWS_SESSION_TOKEN`).
    public static func credentialVariables(for name: String) -> [(id: String, secret: String, token: String)] {
        let upper = String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let prefix = "REEL_REMOTE_\(upper)_"
        return [
            ("\(prefix)ACCESS_KEY_ID", "\(prefix)SECRET_ACCESS_KEY", "\(prefix)SESSION_TOKEN"),
            ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"),
        ]
    }

    /// Where the bucket is, as the S3 client addresses it.
    public func location() throws(LibraryError) -> S3Location {
        guard let url = URL(string: endpoint) else {
            throw .invalidArgument("endpoint \(endpoint) is not a URL")
        }
        return S3Location(endpoint: url, bucket: bucket, region: region, pathStyle: pathStyle)
    }

    /// The URL an object under `key` is recorded with: under the public URL when there is one, else the
    /// bucket's own address.
    public func url(forKey key: String) -> String {
        if let publicURL {
            var base = publicURL
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/" + S3Encoding.encodePath(key)
        }
        return (try? location().url(key: key).absoluteString) ?? "\(endpoint)/\(bucket)/\(key)"
    }
}
