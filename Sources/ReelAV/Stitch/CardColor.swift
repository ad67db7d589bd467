#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The colour of a solid card in a stitch, written as an input `color:NAME` (`color:black`, `color:#1a2b3c`):
/// a still like a title card, shown for its duration, silent.
public struct CardColor: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    /// The input prefix that names a colour card instead of a file.
    public static let prefix = "color:"

    /// The colour names a card takes besides `#RRGGBB` and `#RGB`.
    public static let names: [String: (UInt8, UInt8, UInt8)] = [
        "black": (0, 0, 0), "white": (255, 255, 255), "gray": (128, 128, 128), "grey": (128, 128, 128),
        "red": (255, 0, 0), "green": (0, 128, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0),
        "cyan": (0, 255, 255), "magenta": (255, 0, 255), "orange": (255, 165, 0), "purple": (128, 0, 128),
    ]

    /// The colours a card takes, in words.
    public static let accepted = "a name (\(names.keys.sorted().joined(separator: ", "))) or #RRGGBB"

    /// How a colour card is written as an input.
    public static let syntax = "color: and \(accepted)"

    /// Reads `black`, `#1a2b3c` or `#abc` (the part after `color:`); nil for anything else.
    public init?(_ text: String) {
        let text = text.lowercased()
        if let (red, green, blue) = Self.names[text] {
            (self.red, self.green, self.blue) = (red, green, blue)
            return
        }
        guard text.hasPrefix("#") else { return nil }
        var digits = String(text.dropFirst())
        if digits.count == 3 { digits = digits.map { "\($0)\($0)" }.joined() }
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        (red, green, blue) = (UInt8(value >> 16), UInt8((value >> 8) & 0xff), UInt8(value & 0xff))
    }

    /// The colour an input names, when it is `color:…` and not an existing file; nil for a file.
    static func named(byInput path: String) -> Result<CardColor, StitchError>? {
        guard path.hasPrefix(prefix), access(path, F_OK) != 0 else { return nil }
        guard let color = CardColor(String(path.dropFirst(prefix.count))) else {
            return .failure(.invalidOption("\(path) is not a colour: \(syntax)"))
        }
        return .success(color)
    }

    /// Limited-range Y, Cb and Cr with BT.601 weights: what libswscale gives a PNG card's pixels by default, so a
    /// colour card and a PNG card of one colour look the same.
    var yuv: (y: UInt8, u: UInt8, v: UInt8) {
        let (r, g, b) = (Double(red) / 255, Double(green) / 255, Double(blue) / 255)
        let luma = 0.299 * r + 0.587 * g + 0.114 * b
        func clamp(_ value: Double) -> UInt8 { UInt8(max(0, min(255, value.rounded()))) }
        return (
            clamp(16 + 219 * luma), clamp(128 + 224 * (b - luma) / 1.772), clamp(128 + 224 * (r - luma) / 1.402)
        )
    }
}
