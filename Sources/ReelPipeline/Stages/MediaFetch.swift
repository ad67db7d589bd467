import Foundation
import ReelAV
import ReelLibrary

/// Getting a source clip: an http(s) URL streamed into staging while hashed (with retries, resume and signed-URL
/// expiry checks), or a local path copied the same way; then probed, so a body that is not media fails here and
/// nothing is kept. `reel fetch` and the pipeline's `fetch` stage both run this.
public enum MediaFetch {
    /// Where the bytes come from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case url(SignedURL)
        case path(String)

        /// An http(s) URL, a `file://` URL or a local path, as a user typed it.
        public init(_ text: String) {
            if let url = URL(string: text), url.isFileURL {
                self = .path(url.path)
            } else if let scheme = URL(string: text)?.scheme?.lowercased(), ["http", "https"].contains(scheme) {
                self = .url(SignedURL(text))
            } else {
                self = .path(text)
            }
        }

        /// The URL or path as given, secrets and all: for hashing, never for printing.
        public var text: String {
            switch self {
            case .url(let url): url.raw
            case .path(let path): path
            }
        }

        /// The URL schemes a fetch reads.
        public static let schemes = ["http", "https", "file"]

        /// The scheme of `text` when it is a URL (`ftp://…`) whose scheme a fetch does not read; nil for a
        /// supported URL or a path.
        public static func unsupportedScheme(of text: String) -> String? {
            guard let range = text.range(of: "://"), let scheme = URL(string: text)?.scheme?.lowercased(),
                scheme.count == text.distance(from: text.startIndex, to: range.lowerBound)
            else { return nil }
            return schemes.contains(scheme) ? nil : scheme
        }

        /// The source as it may be printed or stored (tokens redacted).
        public var description: String {
            switch self {
            case .url(let url): url.redacted
            case .path(let path): path
            }
        }
    }

    /// What to fetch and what to record about it.
    public struct Request: Sendable {
        public var source: Source
        public var name: String?
        public var sourceType: SourceType
        public var generation: GenerationInfo?
        /// Largest body accepted.
        public var maxSize: Int64
        /// The longest a download may take, every attempt and wait included.
        public var timeout: Duration
        /// Mark the item saved.
        public var save: Bool
        /// Where extra request headers come from (`REEL_FETCH_HEADERS`).
        public var environment: [String: String]
        /// What keeps secrets out of the generation details recorded (the source URL's own are always hidden).
        public var redactor: Redactor
        /// A PEM bundle of certificate authorities to trust for https, besides the system's and those
        /// `SSL_CERT_FILE` and `REEL_CA_FILE` name (`--ca-file`).
        public var caFile: String?

        public init(
            source: Source, name: String? = nil, sourceType: SourceType = .uploaded, generation: GenerationInfo? = nil,
            maxSize: Int64 = Self.defaultMaxSize, timeout: Duration = DownloadRequest.defaultTimeout,
            save: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
            redactor: Redactor = Redactor(), caFile: String? = nil
        ) {
            self.source = source
            self.name = name
            self.sourceType = sourceType
            self.generation = generation
            self.maxSize = maxSize
            self.timeout = timeout
            self.save = save
            self.environment = environment
            self.redactor = redactor
            self.caFile = caFile
        }

        /// 4 GiB.
        public static let defaultMaxSize: Int64 = 4 << 30
    }

    /// A fetched file: where it is now, what it is, and how getting it went.
    public struct Outcome: Sendable {
        /// The library item, when fetched into the library.
        public var ingest: IngestResult?
        public var path: String
        public var sha256: String
        public var size: Int64
        public var media: MediaInfo
        /// Things to tell the user that did not fail the fetch (a URL that expires soon).
        public var warnings: [String]
        /// How the download went (attempts, resumes); nil for local files.
        public var download: DownloadResult?
    }

    /// Where fetched bytes end up.
    public enum Destination: Sendable {
        /// An item of the library, deduplicated by SHA-256, with lineage and generation details.
        case library(Library)
        /// A plain file, which appears whole or not at all; an existing one is replaced only with `overwrite`.
        case file(String, overwrite: Bool)
    }

    /// Fetches the request's source into `destination`. A local file is copied on a thread of its own, so a large
    /// copy never holds up the cooperative pool.
    public static func fetch(
        _ request: Request, to destination: Destination,
        progress: @escaping @Sendable (DownloadProgress) -> Void = { _ in }
    ) async throws -> Outcome {
        if case .file(let path, let overwrite) = destination { try Overwrite.check(path, allowed: overwrite) }
        switch request.source {
        case .path(let path):
            return try await offThePool { _ in
                // Probed where it is, so an error names the user's file; the copy is of the same bytes.
                let info = try MediaInfo.probe(path)
                let staging = try makeStaging(for: destination)
                try staging.copy(from: path)
                return try finish(staging, info, request, destination, download: nil)
            }
        case .url(let url):
            let staging = try makeStaging(for: destination)
            let headers = try FetchHeaders.from(request.environment, for: url)
            let download = try await Downloader().download(
                DownloadRequest(
                    url: url, headers: headers, trust: .from(environment: request.environment, caFile: request.caFile),
                    maxSize: request.maxSize, timeout: request.timeout),
                into: staging,
                progress: progress)
            return try finish(staging, try probe(staging, request), request, destination, download: download)
        }
    }

    private static func makeStaging(for destination: Destination) throws -> StagingFile {
        switch destination {
        case .library(let library): try library.makeStagingFile()
        case .file(let path, _): try StagingFile.beside(path)
        }
    }

    /// Probes downloaded bytes; a body that is not media fails here (and is dropped with its staging file).
    private static func probe(_ staging: StagingFile, _ request: Request) throws -> MediaInfo {
        do {
            return try MediaInfo.probe(staging.path)
        } catch {
            let cause = error.description.replacingOccurrences(of: "\(staging.path): ", with: "")
            throw FetchFailure.notMedia(source: request.source.description, cause: cause)
        }
    }

    /// Makes the staged bytes an item or the file.
    private static func finish(
        _ staging: StagingFile, _ info: MediaInfo, _ request: Request, _ destination: Destination,
        download: DownloadResult?
    ) throws -> Outcome {
        try MediaAcceptance().check(info, as: request.source.description)
        let warnings = download?.warnings ?? []
        switch destination {
        case .file(let path, let overwrite):
            let size = staging.size
            let sha256 = try staging.commit(to: path, overwrite: overwrite)
            return Outcome(
                ingest: nil, path: path, sha256: sha256, size: size, media: info, warnings: warnings,
                download: download)
        case .library(let library):
            var generation = request.generation
            var redactor = request.redactor
            if case .url(let url) = request.source {
                redactor = redactor.including(url)
                if request.sourceType == .generated {
                    generation = generation ?? GenerationInfo()
                    generation?.sourceURL = url.redacted
                    generation?.urlExpiresAt = url.expiresAt
                }
            }
            generation = generation.map(redactor.redact)
            let ingest = try library.ingest(
                staging,
                IngestRequest(
                    name: name(request, download), kind: ItemKind(info), ext: fileExtension(request, download, info),
                    sourceType: request.sourceType, media: ItemMedia(info), generation: generation,
                    save: request.save, origin: request.source.description))
            return Outcome(
                ingest: ingest, path: ingest.item.path, sha256: ingest.item.sha256, size: ingest.item.size,
                media: info, warnings: warnings, download: download)
        }
    }

    private static func name(_ request: Request, _ download: DownloadResult?) -> String {
        if let name = request.name { return name }
        switch request.source {
        case .path(let path): return (path as NSString).lastPathComponent
        case .url: return download?.fileName ?? "download"
        }
    }

    /// The stored file's extension: the source's own when it names a media type, else one from the container.
    private static func fileExtension(_ request: Request, _ download: DownloadResult?, _ info: MediaInfo) -> String {
        let given: String
        switch request.source {
        case .path(let path): given = (path as NSString).pathExtension
        case .url: given = ((download?.fileName ?? "") as NSString).pathExtension
        }
        let known: Set<String> = ["mp4", "m4v", "mov", "webm", "mkv", "ts", "m4a", "mp3", "jpg", "jpeg", "png"]
        if known.contains(given.lowercased()) { return given.lowercased() }
        let container = info.container
        if container.hasPrefix("mov,mp4") { return "mp4" }
        if container.hasPrefix("matroska,webm") { return info.video?.codec == "vp9" ? "webm" : "mkv" }
        if container == "mpegts" { return "ts" }
        return container.split(separator: ",").first.map(String.init) ?? "bin"
    }
}

/// Why a fetch failed after its bytes arrived.
public enum FetchFailure: Error, Sendable, CustomStringConvertible {
    /// The body is not a media file libav can read.
    case notMedia(source: String, cause: String)
    /// `REEL_FETCH_HEADERS` is not the JSON it should be.
    case badHeaders(String)

    public var description: String {
        switch self {
        case .notMedia(let source, let cause): "\(source): not a media file: \(cause); nothing was kept"
        case .badHeaders(let detail): "REEL_FETCH_HEADERS: \(detail)"
        }
    }
}

/// Request headers for an origin, from the environment only (never from a pipeline file):
/// `REEL_FETCH_HEADERS='{"api.example.com": {"Authorization": "Bearer …"}}'`. A key names one origin (see
/// ``Origin/init(key:)``): `api.example.com` is https on port 443 only; plain http must be spelled out,
/// `http://127.0.0.1:8080`. The headers go to that exact scheme, host and port, never to a redirect elsewhere.
enum FetchHeaders {
    static func from(_ environment: [String: String], for url: SignedURL) throws -> [(name: String, value: String)] {
        guard let text = environment["REEL_FETCH_HEADERS"], !text.isEmpty else { return [] }
        guard let data = text.data(using: .utf8),
            let table = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else { throw FetchFailure.badHeaders("expected {\"host\": {\"Header\": \"value\"}}") }
        let target = Origin(url: url.raw)
        var headers: [String: String] = [:]
        for (key, values) in table {
            guard let origin = Origin(key: key) else {
                throw FetchFailure.badHeaders(
                    "\"\(key)\" is not an origin (host, host:port or http://host:port, without a path)")
            }
            if origin == target { headers.merge(values) { _, new in new } }
        }
        return headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }
}
