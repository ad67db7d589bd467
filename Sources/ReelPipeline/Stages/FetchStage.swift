import Foundation
import ReelLibrary

/// The `fetch` stage: an http(s) URL, `file://` URL or local path into the library, probed (see ``MediaFetch``).
/// A relative `path` is relative to the pipeline file's folder.
public struct FetchStage: StageDefinition {
    public static let fields = ["url", "path", "source_type", "name", "generation", "max_size", "timeout"]
    public static let produces = StageProduct.video
    public static let accepts: [StageProduct] = []

    /// Where the bytes come from: a URL as written, or an absolute local path.
    public var source: MediaFetch.Source
    public var sourceType: SourceType
    public var name: String?
    /// How an AI provider made the clip; secret params are redacted when recorded.
    public var generation: GenerationInfo?
    /// Largest body accepted.
    public var maxSize: Int64
    /// The longest the download may take, every attempt and wait included.
    public var timeout: Duration

    public init?(reading reader: ObjectReader) {
        let url = reader.string("url")
        let path = reader.filePath("path")
        var source: MediaFetch.Source?
        switch (url, path) {
        case (let url?, nil):
            let scheme = URL(string: url)?.scheme?.lowercased()
            if !["http", "https", "file"].contains(scheme ?? "") {
                reader.report(
                    "url",
                    "\(scheme.map { "\"\($0)\" URLs are" } ?? "a URL without a scheme is") "
                        + "not supported: use an http, https or file URL")
            } else {
                source = MediaFetch.Source(url)
            }
        case (nil, let path?): source = .path(path)
        case (nil, nil):
            if !reader.has("url") && !reader.has("path") { reader.report(nil, "needs \"url\" or \"path\"") }
        case (.some, .some):
            reader.report(nil, "give \"url\" or \"path\", not both")
        }
        let generation = reader.object("generation").map(Self.readGeneration)
        let sourceType = reader.choice("source_type", SourceType.self)
        if let sourceType, ![.generated, .uploaded].contains(sourceType) {
            reader.report("source_type", "must be generated or uploaded, not \"\(sourceType.rawValue)\"")
        }
        let maxSize = reader.byteSize("max_size")
        let timeout = reader.timeLimit("timeout")
        guard let source else { return nil }
        self.source = source
        self.sourceType = SourceType.inferred(declared: sourceType, generation: generation)
        self.name = reader.string("name")
        self.generation = generation
        self.maxSize = maxSize ?? MediaFetch.Request.defaultMaxSize
        self.timeout = timeout ?? DownloadRequest.defaultTimeout
    }

    private static func readGeneration(_ reader: ObjectReader) -> GenerationInfo {
        reader.rejectUnknown(allowing: ["provider", "model", "prompt", "job_id", "params"])
        return GenerationInfo(
            provider: reader.string("provider"), model: reader.string("model"), prompt: reader.string("prompt"),
            params: reader.stringMap("params") ?? [:], jobID: reader.string("job_id"))
    }

    public var inputs: [String] { [] }

    /// The source as written (only the key's hash is kept, so a token in it goes nowhere; a fresh signature of the
    /// same object is a miss, which costs a download and keeps one item), what is recorded about it, the size cap.
    public var cacheParameters: [String: String] {
        var fields: [String: String] = [
            "source": source.text, "source_type": sourceType.rawValue, "name": name ?? "",
            "max_size": String(maxSize),
        ]
        if let generation {
            fields["generation.provider"] = generation.provider ?? ""
            fields["generation.model"] = generation.model ?? ""
            fields["generation.prompt"] = generation.prompt ?? ""
            fields["generation.job_id"] = generation.jobID ?? ""
            for (key, value) in generation.params { fields["generation.params.\(key)"] = value }
        }
        return fields
    }

    /// A local source must exist and be a file.
    public func problems(in environment: StageEnvironment) -> [(field: String?, message: String)] {
        guard case .path(let path) = source else { return [] }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return [("path", "\(path): no such file")]
        }
        return isDirectory.boolValue ? [("path", "\(path): is a folder, not a file")] : []
    }

    /// A local source: the fetched item is a copy of its bytes.
    public var knownFile: String? {
        guard case .path(let path) = source else { return nil }
        return path
    }

    /// A local source's size and modification time, so a changed file is fetched again.
    public func outsideFacts() -> [String] {
        guard case .path(let path) = source,
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        else { return [] }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return ["size=\(size)", "mtime=\(modified)"]
    }

    public func run(_ inputs: [StageOutcome], in context: StageContext) async throws -> StageOutcome {
        let outcome = try await MediaFetch.fetch(
            MediaFetch.Request(
                source: source, name: name, sourceType: sourceType, generation: generation, maxSize: maxSize,
                timeout: timeout, redactor: context.redactor),
            to: .library(context.library))
        // Sound alone is media too (a music bed); the stages that need pictures say so when they get none.
        guard let ingest = outcome.ingest else { throw StageError.noInputFile(stage: context.stageID) }
        let role = outcome.media.video == nil ? "audio" : "video"
        return StageOutcome(
            outputs: [StageOutput(role: role, ingest: ingest, media: outcome.media)], warnings: outcome.warnings)
    }
}
