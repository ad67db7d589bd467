/// A picture of where two frames differ: the reference, the output and a heatmap of their difference side by side
/// (each at the video's size), with a caption band under them.
public enum DifferencePicture {
    /// Height of the caption band under the three panels.
    public static let captionHeight = 24
    /// How much a luma difference is amplified before it is coloured (a difference of 64 or more is white).
    static let gain = 4

    /// The PNG of output frame `frame` of `output` beside reference frame `referenceFrame` of `reference`:
    /// `3 × width` by `height + captionHeight` pixels, `caption` written in the band (digits, `.`, `:`, `-`,
    /// `=`, `%` and capital letters; other characters are left blank).
    public static func png(
        output: String, frame: Int, reference: String, referenceFrame: Int, caption: String
    ) throws -> [UInt8] {
        guard let ours = try MediaComparison.pictures(of: output, at: [frame])[frame],
            let theirs = try MediaComparison.pictures(of: reference, at: [referenceFrame])[referenceFrame]
        else { throw AVError.invalidArgument("\(output): frame \(frame) could not be decoded again") }
        let (width, height) = (ours.width, ours.height)
        let sheet = try Frame.picture(width: 3 * width, height: height + captionHeight, format: .rgb24)
        sheet.fillPlane0(0)
        let referenceRGB = try PictureRenderer.scale(theirs, width: width, height: height, format: .rgb24)
        let outputRGB = try PictureRenderer.scale(ours, width: width, height: height, format: .rgb24)
        referenceRGB.copyRGB(into: sheet, x: 0, y: 0)
        outputRGB.copyRGB(into: sheet, x: width, y: 0)
        try heatmap(ours, theirs, into: sheet, x: 2 * width)
        draw(caption.uppercased(), into: sheet, x: 4, y: height + 5, scale: 2)
        return try ImageEncoder.encode(sheet, as: .png, quality: 0)
    }

    /// The luma difference, amplified and coloured black → red → yellow → white, at (`x`, 0) of `sheet`.
    private static func heatmap(_ ours: Frame, _ theirs: Frame, into sheet: Frame, x: Int) throws {
        let luma = try PictureRenderer.scale(theirs, width: ours.width, height: ours.height, format: .gray)
        let ourLuma = try PictureRenderer.scale(ours, width: ours.width, height: ours.height, format: .gray)
        guard let a = ourLuma.plane(0), let b = luma.plane(0), let target = sheet.plane(0) else { return }
        for row in 0..<ours.height {
            let pixels = target.base + row * target.stride + x * 3
            for column in 0..<ours.width {
                let difference = abs(Int(a.base[row * a.stride + column]) - Int(b.base[row * b.stride + column]))
                let level = min(255 * 3, difference * gain * 3)
                pixels[column * 3] = UInt8(min(255, level))
                pixels[column * 3 + 1] = UInt8(max(0, min(255, level - 255)))
                pixels[column * 3 + 2] = UInt8(max(0, min(255, level - 510)))
            }
        }
    }

    /// Writes `text` in white with a 5×7 pixel font, each font pixel `scale` pixels square.
    static func draw(_ text: String, into sheet: Frame, x: Int, y: Int, scale: Int) {
        guard let target = sheet.plane(0) else { return }
        var left = x
        for character in text {
            let rows = font[character] ?? []
            for (row, bits) in rows.enumerated() {
                for column in 0..<5 where bits & (0b10000 >> column) != 0 {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            let px = left + column * scale + dx
                            let py = y + row * scale + dy
                            guard px < sheet.width, py < sheet.height else { continue }
                            let pixel = target.base + py * target.stride + px * 3
                            (pixel[0], pixel[1], pixel[2]) = (255, 255, 255)
                        }
                    }
                }
            }
            left += 6 * scale
        }
    }

    /// 5×7 glyphs, one row per number, the high bit of five on the left.
    static let font: [Character: [UInt8]] = [
        "0": [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E], "1": [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        "2": [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F], "3": [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        "4": [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02], "5": [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        "6": [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E], "7": [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        "8": [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E], "9": [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ".": [0, 0, 0, 0, 0, 0x0C, 0x0C], ":": [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0], "-": [0, 0, 0, 0x1F, 0, 0, 0],
        "=": [0, 0, 0x1F, 0, 0x1F, 0, 0], "%": [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        "A": [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11], "B": [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        "D": [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C], "E": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        "F": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10], "I": [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        "M": [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11], "N": [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        "P": [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10], "R": [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        "S": [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E], "T": [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        "Y": [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04], "U": [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        "V": [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
    ]
}
