import ReelAV

/// What a finished stage hands to the stages after it and to the manifest.
public struct StageOutcome: Sendable, Equatable {
    /// Files (library items) the stage produced or passed on, in order.
    public var outputs: [StageOutput]
    /// Things the user should know that did not fail the stage (a signed URL that expires soon…).
    public var warnings: [String]
    /// True when the outputs came from an earlier run with the same cache key, with no media work done.
    public var cacheHit: Bool

    public init(outputs: [StageOutput], warnings: [String] = [], cacheHit: Bool = false) {
        self.outputs = outputs
        self.warnings = warnings
        self.cacheHit = cacheHit
    }
}

/// One output of a stage: a library item with its role (`video`, `poster`, `sprite`, `vtt`, `probe`…).
public struct StageOutput: Sendable, Equatable, Codable {
    public var role: String
    /// The library item's id, when the output is in the library.
    public var itemID: String?
    /// Where the file is.
    public var path: String?
    /// Content hash, lowercase hex.
    public var sha256: String?
    /// Library item kind: video, thumbnail, sprite, vtt.
    public var kind: String?
    /// What a probe of the file found.
    public var media: MediaInfo?
    /// Where a store stage uploaded the item.
    public var remote: RemoteLocation?

    /// An uploaded copy: the remote's name, the object key and its URL.
    public struct RemoteLocation: Sendable, Equatable, Codable {
        public var remote: String
        public var key: String
        public var url: String
    }

    public init(
        role: String, itemID: String? = nil, path: String? = nil, sha256: String? = nil, kind: String? = nil,
        media: MediaInfo? = nil, remote: RemoteLocation? = nil
    ) {
        self.role = role
        self.itemID = itemID
        self.path = path
        self.sha256 = sha256
        self.kind = kind
        self.media = media
        self.remote = remote
    }

    enum CodingKeys: String, CodingKey {
        case role
        case itemID = "item_id"
        case path, sha256, kind, media, remote
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        itemID = try container.decodeIfPresent(String.self, forKey: .itemID)
        path = try container.decodeIfPresent(String.self, forKey: .path)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        media = try container.decodeIfPresent(MediaInfo.self, forKey: .media)
        remote = try container.decodeIfPresent(RemoteLocation.self, forKey: .remote)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(itemID, forKey: .itemID)
        try container.encode(path, forKey: .path)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(kind, forKey: .kind)
        try container.encode(media, forKey: .media)
        try container.encode(remote, forKey: .remote)
    }
}
