/// The largest picture Reel decodes: a frame of more pixels than this is refused before anything is allocated for
/// it, so a small file that claims a huge picture cannot drive a command to gigabytes of memory.
///
/// The one definition of the rule: the stitch and thumbnail commands (`--max-pixels`), their pipeline stages
/// (`max_pixels`) and every decoder (``MediaDecoder``) ask it. The default fits 8K (7680x4320).
public struct PixelLimit: Sendable, Hashable, CustomStringConvertible {
    /// Most pixels (width × height) a frame may have.
    public var maxPixels: Int

    /// A limit of `maxPixels` (at least 1).
    public init(maxPixels: Int) {
        self.maxPixels = max(1, maxPixels)
    }

    /// Reads `N` (pixels) or `WxH` (a frame size whose area is the limit); nil for anything else.
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let pixels = Int(parts[0]), pixels > 0 else { return nil }
            self.init(maxPixels: pixels)
        case 2:
            guard let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else { return nil }
            let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
            guard !overflow else { return nil }
            self.init(maxPixels: pixels)
        default:
            return nil
        }
    }

    /// 7680x4320 (8K UHD): 33,177,600 pixels.
    public static let standard = PixelLimit(maxPixels: 7680 * 4320)

    /// How the limit can be written: `N` pixels or `WxH`.
    public static let syntax = "a pixel count like 33177600 or a frame size like 7680x4320"

    /// Whether a `width` × `height` frame is within the limit.
    public func allows(width: Int, height: Int) -> Bool {
        let (pixels, overflow) = max(0, width).multipliedReportingOverflow(by: max(0, height))
        return !overflow && pixels <= maxPixels
    }

    /// Throws ``AVError/frameTooLarge(file:width:height:limit:)`` when a `width` × `height` frame of `file` is
    /// above the limit.
    public func check(width: Int, height: Int, file: String) throws(AVError) {
        guard allows(width: width, height: height) else {
            throw .frameTooLarge(file: file, width: width, height: height, limit: self)
        }
    }

    /// Why a `width` × `height` frame is refused, in words a user can act on.
    public func refusal(width: Int, height: Int) -> String {
        "frame \(width)x\(height) is above the limit of \(self); raise it with --max-pixels"
    }

    /// `33177600 pixels (8K)`, `76800 pixels`.
    public var description: String {
        self == .standard ? "\(maxPixels) pixels (8K)" : "\(maxPixels) pixels"
    }
}
