/// A frame size as people write it, `1280x720`: what `--size`, a stitch stage's `video.size` and an expectation's
/// `video.size` take. Whether a size is usable for an output is the option type's rule (``StitchOptions``).
public struct FrameSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public var description: String { "\(width)x\(height)" }

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `WxH` with positive whole numbers; nil for anything else.
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else {
            return nil
        }
        self.init(width: width, height: height)
    }

    /// How a size is written, for messages.
    public static let syntax = "a size like 1280x720"
}
