/// Image file formats a thumbnail can be written in, chosen by the output's extension.
public enum ImageFormat: String, Sendable, Hashable, Codable {
    case jpeg
    case png

    /// The file extensions thumbnails are written with.
    public static let extensions = ["jpg", "jpeg", "png"]

    /// The format for `path` (`.jpg`, `.jpeg` or `.png`, any case), or nil for anything else.
    public init?(path: String) {
        guard let ext = pathExtension(of: path) else { return nil }
        self.init(extension: ext)
    }

    /// The format written with the extension `ext` (`jpg`, `jpeg` or `png`, any case), or nil.
    public init?(extension ext: String) {
        switch ext.lowercased() {
        case "jpg", "jpeg": self = .jpeg
        case "png": self = .png
        default: return nil
        }
    }

    /// The extension files of this format get: `jpg` or `png`.
    public var fileExtension: String { self == .jpeg ? "jpg" : "png" }
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

    /// The largest width or height asked for (of a still, a tile, or a whole sprite sheet).
    public static let largestSide = 8192

    /// Throws when both sides are given and their frame is above `limit` (with one side, the other follows the
    /// input, so only a run can tell).
    public func validate(within limit: PixelLimit) throws(ThumbnailError) {
        if let width, let height, !limit.allows(width: width, height: height) {
            throw .sizeAboveLimit(width: width, height: height, limit: limit)
        }
    }

    /// Throws when a given side is not from 1 to ``largestSide``.
    public func validate() throws(ThumbnailError) {
        if let width, !(1...Self.largestSide).contains(width) { throw .invalidValue(name: "width", value: "\(width)") }
        if let height, !(1...Self.largestSide).contains(height) {
            throw .invalidValue(name: "height", value: "\(height)")
        }
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

    /// JPEG quality when none is asked for.
    public static let defaultQuality = 2

    public init(
        input: String, output: String, at: ThumbnailTime = .best, size: ThumbnailSize = ThumbnailSize(),
        quality: Int = defaultQuality, pixelLimit: PixelLimit = .standard
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
        try size.validate(within: pixelLimit)
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

    /// JPEG quality of a sheet when none is asked for.
    public static let defaultQuality = 3
    /// Tiles per row when not asked for.
    public static let defaultColumns = 5

    /// The tile size for a width and height as asked for: 160 pixels wide when neither is given.
    public static func tileSize(width: Int?, height: Int?) -> ThumbnailSize {
        width == nil && height == nil ? ThumbnailSize(width: 160) : ThumbnailSize(width: width, height: height)
    }

    public init(
        input: String, output: String, every: Double? = nil, columns: Int = defaultColumns, rows: Int? = nil,
        size: ThumbnailSize = tileSize(width: nil, height: nil), quality: Int = defaultQuality,
        pixelLimit: PixelLimit = .standard
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
        if let every, !(every > 0) || !every.isFinite {
            throw .invalidValue(
                name: "every", value: every.isFinite && every.rounded() == every ? "\(Int(every))" : "\(every)")
        }
        // A sheet is at most `largestSide` across: columns × tile width, rows × tile height, where known.
        guard columns > 0, columns * (size.width ?? 1) <= ThumbnailSize.largestSide else {
            throw .invalidValue(name: "columns", value: "\(columns)")
        }
        if let rows, rows <= 0 || rows * (size.height ?? 1) > ThumbnailSize.largestSide {
            throw .invalidValue(name: "rows", value: "\(rows)")
        }
        guard ImageFormat(path: output) != nil else { throw .unsupportedOutput(path: output) }
    }
}

func validateQuality(_ quality: Int) throws(ThumbnailError) {
    guard (1...31).contains(quality) else { throw .invalidQuality(quality) }
}
