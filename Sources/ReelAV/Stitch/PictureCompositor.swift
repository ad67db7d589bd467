import CFFmpeg

/// Puts decoded pictures of one input into the output frame: sample aspect ratio corrected, rotated for
/// display, scaled to fit (letterboxed) or to cover (cropped), centred, in yuv420p.
final class PictureCompositor {
    let width: Int
    let height: Int
    let fit: FitMode
    /// Clockwise quarter turns for display.
    let rotation: Int
    let sampleAspectRatio: Rational
    private var scaler: Scaler?
    private var sourceShape: (width: Int, height: Int, format: PixelFormat)?
    /// Size of the picture in display orientation, and where its top-left corner lands (negative when cropped).
    private var content = (width: 0, height: 0, x: 0, y: 0)
    private let scaled: Frame

    init(width: Int, height: Int, fit: FitMode, rotation: Int, sampleAspectRatio: Rational) throws(AVError) {
        self.width = width
        self.height = height
        self.fit = fit
        self.rotation = rotation
        self.sampleAspectRatio = sampleAspectRatio
        scaled = try Frame()
    }

    /// A new output frame (fresh buffers) showing `source`.
    func compose(_ source: Frame) throws(AVError) -> Frame {
        try prepare(for: source)
        var picture = source
        if let scaler {
            try scaler.scale(source, into: scaled)
            picture = scaled
        }
        let canvas = try Frame()
        try canvas.allocateVideo(width: width, height: height, pixelFormat: .yuv420p)
        let covers =
            content.x <= 0 && content.y <= 0 && content.x + content.width >= width
            && content.y + content.height >= height
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            guard let target = canvas.plane(plane), let source = picture.plane(plane) else {
                throw .invalidArgument("stitch: a decoded picture has no plane \(plane)")
            }
            if !covers {
                memset(target.base, plane == 0 ? 16 : 128, target.stride * (height >> shift))
            }
            blit(
                source, into: target, shift: shift, sourceWidth: picture.width >> shift,
                sourceHeight: picture.height >> shift)
        }
        canvas.pts = source.pts
        return canvas
    }

    /// A new `width`×`height` frame of one colour.
    static func solid(_ color: CardColor, width: Int, height: Int) throws(AVError) -> Frame {
        let canvas = try Frame()
        try canvas.allocateVideo(width: width, height: height, pixelFormat: .yuv420p)
        let (y, u, v) = color.yuv
        for (plane, value) in [y, u, v].enumerated() {
            guard let target = canvas.plane(plane) else {
                throw .invalidArgument("stitch: a new picture has no plane \(plane)")
            }
            memset(target.base, Int32(value), target.stride * (height >> (plane == 0 ? 0 : 1)))
        }
        return canvas
    }

    /// A copy of `picture` (a composed frame) faded toward black by `gain`, from 0 (black) to 1 (unchanged).
    static func faded(_ picture: Frame, gain: Double) throws(AVError) -> Frame {
        let (width, height) = (picture.width, picture.height)
        let canvas = try Frame()
        try canvas.allocateVideo(width: width, height: height, pixelFormat: .yuv420p)
        let scaled = Int32((max(0, min(1, gain)) * 256).rounded())
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            guard let target = canvas.plane(plane), let source = picture.plane(plane) else {
                throw .invalidArgument("stitch: a composed picture has no plane \(plane)")
            }
            reel_fade_plane(
                source.base, Int32(source.stride), target.base, Int32(target.stride), Int32(width >> shift),
                Int32(height >> shift), plane == 0 ? 16 : 128, scaled)
        }
        canvas.pts = picture.pts
        return canvas
    }

    private func prepare(for source: Frame) throws(AVError) {
        if let shape = sourceShape, shape.width == source.width, shape.height == source.height,
            shape.format == source.pixelFormat
        {
            return
        }
        sourceShape = (source.width, source.height, source.pixelFormat)
        let sar = sampleAspectRatio.value ?? 1
        let squareWidth = Double(source.width) * (sar > 0 ? sar : 1)
        let turned = rotation == 90 || rotation == 270
        let displayWidth = turned ? Double(source.height) : squareWidth
        let displayHeight = turned ? squareWidth : Double(source.height)
        let scale =
            fit == .pad
            ? min(Double(width) / displayWidth, Double(height) / displayHeight)
            : max(Double(width) / displayWidth, Double(height) / displayHeight)
        let contentWidth = max(2, Int((displayWidth * scale / 2).rounded()) * 2)
        let contentHeight = max(2, Int((displayHeight * scale / 2).rounded()) * 2)
        content = (
            contentWidth, contentHeight, ((width - contentWidth) / 4) * 2, ((height - contentHeight) / 4) * 2
        )
        let storedWidth = turned ? contentHeight : contentWidth
        let storedHeight = turned ? contentWidth : contentHeight
        if storedWidth == source.width, storedHeight == source.height, source.pixelFormat == .yuv420p {
            scaler = nil
        } else {
            scaler = try Scaler(
                from: source, width: storedWidth, height: storedHeight, pixelFormat: .yuv420p, accurate: false)
        }
    }

    /// Copies one plane of the (scaled, stored-orientation) picture into the canvas, turning it for display.
    private func blit(
        _ source: (base: UnsafeMutablePointer<UInt8>, stride: Int),
        into target: (base: UnsafeMutablePointer<UInt8>, stride: Int),
        shift: Int, sourceWidth: Int, sourceHeight: Int
    ) {
        let originX = content.x >> shift
        let originY = content.y >> shift
        let contentWidth = content.width >> shift
        let contentHeight = content.height >> shift
        let left = max(0, originX)
        let right = min(width >> shift, originX + contentWidth)
        let top = max(0, originY)
        let bottom = min(height >> shift, originY + contentHeight)
        guard left < right, top < bottom else { return }
        reel_blit_rotated(
            source.base, Int32(source.stride), Int32(sourceWidth), Int32(sourceHeight), target.base,
            Int32(target.stride), Int32(left), Int32(top), Int32(right), Int32(bottom), Int32(originX),
            Int32(originY), Int32(rotation))
    }
}
