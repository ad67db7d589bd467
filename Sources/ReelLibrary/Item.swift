import Foundation

/// What a library item is.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    case video, thumbnail, sprite, vtt, other
}

/// Where an item came from.
public enum SourceType: String, Sendable, Codable, CaseIterable {
    /// Made by an AI provider (with generation details).
    case generated
    /// Brought in by a user.
    case uploaded
    /// Made by Reel from other items (stitch, thumbnail…), with lineage.
    case stitched

    /// The one rule for a file brought in (import, fetch, a pipeline's fetch stage): the source type `declared`
    /// when one is, else `generated` when there are generation details, else `uploaded`.
    public static func inferred(declared: SourceType? = nil, generation: GenerationInfo?) -> SourceType {
        declared ?? (generation == nil ? .uploaded : .generated)
    }
}

/// Media facts about an item, as a probe found them. Arrives as a value: the library does not decode media.
public struct ItemMedia: Sendable, Equatable, Codable {
    public var duration: Double?
    public var width: Int?
    public var height: Int?
    public var displayWidth: Int?
    public var displayHeight: Int?
    /// Display aspect ratio, `16:9`.
    public var aspectRatio: String?
    public var videoCodec: String?
    public var fps: Double?
    public var audioCodec: String?
    public var audioRate: Int?
    public var audioChannels: Int?
    /// The whole probe, as JSON text, kept in the catalog.
    public var probeJSON: String?

    public init(
        duration: Double? = nil, width: Int? = nil, height: Int? = nil, displayWidth: Int? = nil,
        displayHeight: Int? = nil, aspectRatio: String? = nil, videoCodec: String? = nil, fps: Double? = nil,
        audioCodec: String? = nil, audioRate: Int? = nil, audioChannels: Int? = nil, probeJSON: String? = nil
    ) {
        self.duration = duration
        self.width = width
        self.height = height
        self.displayWidth = displayWidth
        self.displayHeight = displayHeight
        self.aspectRatio = aspectRatio
        self.videoCodec = videoCodec
        self.fps = fps
        self.audioCodec = audioCodec
        self.audioRate = audioRate
        self.audioChannels = audioChannels
        self.probeJSON = probeJSON
    }

    enum CodingKeys: String, CodingKey {
        case duration, width, height
        case displayWidth = "display_width"
        case displayHeight = "display_height"
        case aspectRatio = "display_aspect_ratio"
        case videoCodec = "video_codec"
        case fps
        case audioCodec = "audio_codec"
        case audioRate = "audio_sample_rate"
        case audioChannels = "audio_channels"
    }
}

/// How an AI provider made an item. The source URL is stored only in its redacted form.
public struct GenerationInfo: Sendable, Hashable, Codable {
    public var provider: String?
    public var model: String?
    public var prompt: String?
    public var params: [String: String]
    public var jobID: String?
    /// The URL the bytes came from, with signatures and tokens replaced by `REDACTED`.
    public var sourceURL: String?
    /// When the signed source URL stopped (or stops) working.
    public var urlExpiresAt: Date?

    public init(
        provider: String? = nil, model: String? = nil, prompt: String? = nil, params: [String: String] = [:],
        jobID: String? = nil, sourceURL: String? = nil, urlExpiresAt: Date? = nil
    ) {
        self.provider = provider
        self.model = model
        self.prompt = prompt
        self.params = params
        self.jobID = jobID
        self.sourceURL = sourceURL
        self.urlExpiresAt = urlExpiresAt
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, prompt, params
        case jobID = "job_id"
        case sourceURL = "source_url"
        case urlExpiresAt = "url_expires_at"
    }

    /// Every key, `null` when not given.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(provider, forKey: .provider)
        try container.encode(model, forKey: .model)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(params, forKey: .params)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(sourceURL, forKey: .sourceURL)
        try container.encode(urlExpiresAt, forKey: .urlExpiresAt)
    }
}

extension GenerationInfo {
    /// Whether both describe the same generation: everything but the source URL's expiry (a new signed URL for
    /// the same job) agrees.
    func isSameGeneration(as other: GenerationInfo) -> Bool {
        var mine = self
        mine.urlExpiresAt = other.urlExpiresAt
        return mine == other
    }

    /// `provider p, model m, job j, prompt "…"` (the parts that are known), for the event log.
    var summary: String {
        let parts = [
            provider.map { "provider \($0)" }, model.map { "model \($0)" }, jobID.map { "job \($0)" },
            prompt.map { "prompt \"\($0.count > 40 ? $0.prefix(40) + "…" : $0)\"" }, sourceURL.map { "from \($0)" },
        ].compactMap { $0 }
        return parts.isEmpty ? "no details" : parts.joined(separator: ", ")
    }
}

/// An input an item was made from.
public struct LineageInput: Sendable, Equatable {
    public var itemID: String
    /// `input` (a stitch input), `thumbnail-of`, `sprite-of`…
    public var role: String
    /// Position among inputs of the same role.
    public var ordinal: Int
    /// Parameters of the operation that made the item, as JSON text.
    public var parametersJSON: String?

    public init(itemID: String, role: String, ordinal: Int, parametersJSON: String? = nil) {
        self.itemID = itemID
        self.role = role
        self.ordinal = ordinal
        self.parametersJSON = parametersJSON
    }
}

/// A copy of an item in object storage, or the promise of one (`pending` until an upload is confirmed).
public struct RemoteCopy: Sendable, Equatable, Codable {
    /// `pending`: not uploaded yet (a transient failure, or never tried); `failed`: the last try failed in a way
    /// that needs a person (credentials, bucket); `done`: uploaded and confirmed by a HEAD. `reel library sync`
    /// retries both pending and failed copies.
    public enum Status: String, Sendable, Codable { case pending, done, failed }
    public var remote: String
    public var key: String
    public var url: String?
    public var status: Status
    public var etag: String?
    /// The SHA-256 the server confirmed, when it reports one (base64, as S3 gives it).
    public var checksum: String?
    public var savedAt: Date?
    /// Why the last upload failed (never holds a secret).
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case remote, key, url, status, etag, checksum
        case savedAt = "saved_at"
        case error
    }

    /// Every key, `null` when not known yet.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(remote, forKey: .remote)
        try container.encode(key, forKey: .key)
        try container.encode(url, forKey: .url)
        try container.encode(status, forKey: .status)
        try container.encode(etag, forKey: .etag)
        try container.encode(checksum, forKey: .checksum)
        try container.encode(savedAt, forKey: .savedAt)
        try container.encode(error, forKey: .error)
    }
}

/// One file in the library, with what is known about it.
public struct Item: Sendable, Equatable {
    /// Short, stable id (the start of the SHA-256); commands accept any unique prefix.
    public var id: String
    public var name: String
    public var kind: ItemKind
    public var sha256: String
    public var size: Int64
    /// File extension without the dot, `mp4`.
    public var ext: String
    public var sourceType: SourceType
    /// Saved items are kept; drafts may be collected.
    public var saved: Bool
    public var createdAt: Date
    public var savedAt: Date?
    /// Where the bytes are (inside the library's objects/).
    public var path: String
    public var media: ItemMedia?
    public var generation: GenerationInfo?
    public var remotes: [RemoteCopy]
}

extension Item: Codable {
    enum CodingKeys: String, CodingKey {
        case id, name, kind, sha256, size, ext
        case sourceType = "source_type"
        case saved
        case createdAt = "created_at"
        case savedAt = "saved_at"
        case path, media, generation, remotes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(size, forKey: .size)
        try container.encode(ext, forKey: .ext)
        try container.encode(sourceType, forKey: .sourceType)
        try container.encode(saved, forKey: .saved)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(savedAt, forKey: .savedAt)
        try container.encode(path, forKey: .path)
        try container.encode(media, forKey: .media)
        try container.encode(generation, forKey: .generation)
        try container.encode(remotes, forKey: .remotes)
    }
}
