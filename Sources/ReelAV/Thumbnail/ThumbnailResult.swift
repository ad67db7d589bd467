/// One image that was written.
public struct ThumbnailImage: Sendable, Hashable, Codable {
    public var path: String
    public var width: Int
    public var height: Int
    /// Seconds from the start of the clip of the (first) frame shown.
    public var at: Double
}

/// One tile of a sprite sheet: where it sits and which stretch of the clip it stands for.
public struct SpriteTile: Sendable, Hashable, Codable {
    /// The sheet holding the tile.
    public var sheet: String
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    /// The cue: from `start` (inclusive) to `end` (exclusive), seconds from the start of the clip.
    public var start: Double
    public var end: Double
    /// Seconds from the start of the clip of the frame shown.
    public var at: Double
}

/// What a thumbnail or sprite run made.
public struct ThumbnailResult: Sendable, Hashable, Codable {
    /// The images written, in order.
    public var outputs: [ThumbnailImage]
    /// The WebVTT index (sprites only).
    public var vtt: String?
    /// Sprite geometry: columns per sheet, tile size and every tile (sprites only).
    public var columns: Int?
    public var rows: Int?
    public var tileWidth: Int?
    public var tileHeight: Int?
    public var tiles: [SpriteTile]?

    enum CodingKeys: String, CodingKey {
        case outputs, vtt, columns, rows, tiles
        case tileWidth = "tile_width"
        case tileHeight = "tile_height"
    }

    public init(
        outputs: [ThumbnailImage], vtt: String? = nil, columns: Int? = nil, rows: Int? = nil, tileWidth: Int? = nil,
        tileHeight: Int? = nil, tiles: [SpriteTile]? = nil
    ) {
        self.outputs = outputs
        self.vtt = vtt
        self.columns = columns
        self.rows = rows
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.tiles = tiles
    }

    /// Always writes `outputs` and `vtt` (null for a single picture); sprite geometry only for sprites.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(vtt, forKey: .vtt)
        try container.encodeIfPresent(columns, forKey: .columns)
        try container.encodeIfPresent(rows, forKey: .rows)
        try container.encodeIfPresent(tileWidth, forKey: .tileWidth)
        try container.encodeIfPresent(tileHeight, forKey: .tileHeight)
        try container.encodeIfPresent(tiles, forKey: .tiles)
    }
}
