/// Turns decoded frames into pictures an encoder takes: scaled (colour range and matrix honoured by swscale),
/// turned for display, in the pixel format asked for.
enum PictureRenderer {
    /// `frame` at `width`×`height` (the size after rotation) in `format`, turned `rotation` degrees clockwise.
    static func render(
        _ frame: Frame, width: Int, height: Int, format: PixelFormat, rotation: Int
    ) throws(AVError) -> Frame {
        guard rotation == 90 || rotation == 180 || rotation == 270 else {
            return try scale(frame, width: width, height: height, format: format)
        }
        let turned = rotation != 180
        let upright = try scale(
            frame, width: turned ? height : width, height: turned ? width : height, format: .rgb24)
        let rotated = try upright.rotatedRGB(clockwise: rotation)
        return format == .rgb24 ? rotated : try scale(rotated, width: width, height: height, format: format)
    }

    /// A converted copy of `frame`.
    static func scale(_ frame: Frame, width: Int, height: Int, format: PixelFormat) throws(AVError) -> Frame {
        let scaler = try Scaler(from: frame, width: width, height: height, pixelFormat: format)
        let result = try Frame()
        try scaler.scale(frame, into: result)
        return result
    }
}
