import CFFmpeg

/// A libav pixel format, by name.
public struct PixelFormat: Sendable, Hashable, CustomStringConvertible {
    let rawValue: Int32

    init(_ format: AVPixelFormat) { rawValue = format.rawValue }

    /// The format with libav's name (`yuv420p`, `rgb24`…), or nil when libav knows no such format.
    public init?(name: String) {
        let format = av_get_pix_fmt(name)
        guard format != AV_PIX_FMT_NONE else { return nil }
        self.init(format)
    }

    var av: AVPixelFormat { AVPixelFormat(rawValue: rawValue) }

    public static let yuv420p = PixelFormat(AV_PIX_FMT_YUV420P)
    public static let yuvj420p = PixelFormat(AV_PIX_FMT_YUVJ420P)
    /// 4:2:0 with a full-size alpha plane (an overlay's picture).
    public static let yuva420p = PixelFormat(AV_PIX_FMT_YUVA420P)
    public static let rgb24 = PixelFormat(AV_PIX_FMT_RGB24)
    public static let gray = PixelFormat(AV_PIX_FMT_GRAY8)
    public static let none = PixelFormat(AV_PIX_FMT_NONE)

    /// libav's name for the format, e.g. `yuv420p`.
    public var name: String {
        guard let name = av_get_pix_fmt_name(av) else { return "none" }
        return String(cString: name)
    }

    public var description: String { name }
}
