/// How a stored picture becomes the one a viewer sees: sample aspect ratio applied, then a clockwise turn.
struct PictureGeometry: Sendable, Hashable {
    /// Stored size.
    var width: Int
    var height: Int
    /// Sample aspect ratio; unknown counts as square.
    var sampleAspectRatio: Rational
    /// Clockwise degrees: 0, 90, 180 or 270.
    var rotation: Int

    var isTurned: Bool { rotation == 90 || rotation == 270 }

    /// Display size: SAR applied to the width, then rotation applied.
    var displaySize: (width: Int, height: Int) {
        let sar = sampleAspectRatio.isUnknown ? 1 : (sampleAspectRatio.value ?? 1)
        let squareWidth = sar == 1 ? width : max(1, Int((Double(width) * sar).rounded()))
        return isTurned ? (height, squareWidth) : (squareWidth, height)
    }

    /// The output size for `size`: a missing side follows the display aspect ratio, rounded to even.
    func outputSize(_ size: ThumbnailSize) -> (width: Int, height: Int) {
        let display = displaySize
        let aspect = Double(display.width) / Double(display.height)
        switch (size.width, size.height) {
        case (let width?, let height?): return (width, height)
        case (let width?, nil): return (width, Self.even(Double(width) / aspect))
        case (nil, let height?): return (Self.even(Double(height) * aspect), height)
        case (nil, nil): return display
        }
    }

    /// Nearest even number, at least 2.
    static func even(_ value: Double) -> Int { max(2, Int((value / 2).rounded()) * 2) }
}
