/// Image file formats a thumbnail can be written in, chosen by the output's extension.
public enum ImageFormat: String, Sendable, Hashable, Codable {
    case jpeg
    case png

    /// The format for `path` (`.jpg`, `.jpeg` or `.png`, any case), or nil for anything else.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "jpg", "jpeg": self = .jpeg
        case "png": self = .png
        default: return nil
        }
    }
}

/// The size of a thumbnail or tile: none, one or both of width and height.
///
/// With one side given, the other follows the display aspect ratio (rounded to even); with neither, the output is
/// the display size (sample aspect ratio and rotation applied); with both, the output is exactly that size.
public struct ThumbnailSize: Sendable, Hashable {
    public var width: Int?
    public var height: Int?

    public init(width: Int? = nil, height: Int? = nil) {
        self.width = width
        self.height = height
    }

    /// Throws when a given side is not positive.
    public func validate() throws(ThumbnailError) {
        if let width, width <= 0 { throw .invalidValue(name: "width", value: "\(width)") }
        if let height, height <= 0 { throw .invalidValue(name: "height", value: "\(height)") }
    }
}

/// One still picture from a video.
public struct ThumbnailRequest: Sendable, Hashable {
    /// The video file.
    public var input: String
    /// Where the image goes; `.jpg`/`.jpeg` or `.png` decides the format.
    public var output: String
    /// Which frame.
    public var at: ThumbnailTime
    public var size: ThumbnailSize
    /// JPEG quality as ffmpeg's `-q:v`: 1 (best) to 31 (smallest); ignored for PNG.
    public var quality: Int
    /// The largest video frame decoded.
    public var pixelLimit: PixelLimit

    public init(
        input: String, output: String, at: ThumbnailTime = .best, size: ThumbnailSize = ThumbnailSize(),
        quality: Int = 2, pixelLimit: PixelLimit = .standard
    ) {
        self.input = input
        self.output = output
        self.at = at
        self.size = size
        self.quality = quality
        self.pixelLimit = pixelLimit
    }

    /// Checks what can be checked without opening the input: size, quality and output extension.
    public func validate() throws(ThumbnailError) {
        try size.validate()
        try validateQuality(quality)
        guard ImageFormat(path: output) != nil else { throw .unsupportedOutput(path: output) }
    }
}

/// A sprite sheet (a grid of small frames every N seconds) and its WebVTT index.
public struct SpriteRequest: Sendable, Hashable {
    /// The video file.
    public var input: String
    /// The sheet's name; with more tiles than one sheet holds, `NAME-001.jpg`, `NAME-002.jpg`…
    public var output: String
    /// Seconds between tiles; nil spreads `columns × rows` tiles over the whole clip.
    public var every: Double?
    public var columns: Int
    /// Rows per sheet; nil puts every tile on one sheet.
    public var rows: Int?
    /// Tile size (default 160 pixels wide).
    public var size: ThumbnailSize
    /// JPEG quality as ffmpeg's `-q:v`.
    public var quality: Int
    /// The largest video frame decoded.
    public var pixelLimit: PixelLimit

    public init(
        input: String, output: String, every: Double? = nil, columns: Int = 5, rows: Int? = nil,
        size: ThumbnailSize = ThumbnailSize(width: 160), quality: Int = 3, pixelLimit: PixelLimit = .standard
    ) {
        self.input = input
        self.output = output
        self.every = every
        self.columns = columns
        self.rows = rows
        self.size = size
        self.quality = quality
        self.pixelLimit = pixelLimit
    }

    /// Checks what can be checked without opening the input.
    public func validate() throws(ThumbnailError) {
        try size.validate()
        try validateQuality(quality)
        if let every, !(every > 0) || !every.isFinite { throw .invalidValue(name: "every", value: "\(every)") }
        guard columns > 0 else { throw .invalidValue(name: "columns", value: "\(columns)") }
        if let rows, rows <= 0 { throw .invalidValue(name: "rows", value: "\(rows)") }
        guard ImageFormat(path: output) != nil else { throw .unsupportedOutput(path: output) }
    }
}

func validateQuality(_ quality: Int) throws(ThumbnailError) {
    guard (1...31).contains(quality) else { throw .invalidQuality(quality) }
}
