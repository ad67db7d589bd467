import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Frame {
    /// A new frame with its own buffers, `width`×`height` in `format`.
    static func picture(width: Int, height: Int, format: PixelFormat) throws(AVError) -> Frame {
        let frame = try Frame()
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.format = format.rawValue
        try check(av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer")
        return frame
    }

    /// A new reference to the same picture (no pixels copied).
    func reference() throws(AVError) -> Frame {
        let copy = try Frame()
        try check(av_frame_ref(copy.pointer, pointer), "av_frame_ref")
        return copy
    }

    /// An RGB24 copy of this RGB24 frame turned `clockwise` degrees (90, 180 or 270).
    func rotatedRGB(clockwise: Int) throws(AVError) -> Frame {
        let sourceWidth = width
        let sourceHeight = height
        let turned = clockwise == 90 || clockwise == 270
        let result = try Frame.picture(
            width: turned ? sourceHeight : sourceWidth, height: turned ? sourceWidth : sourceHeight, format: .rgb24)
        guard let source = plane(0), let target = result.plane(0) else { return result }
        for y in 0..<sourceHeight {
            let row = source.base + y * source.stride
            for x in 0..<sourceWidth {
                let (tx, ty): (Int, Int) =
                    switch clockwise {
                    case 90: (sourceHeight - 1 - y, x)
                    case 180: (sourceWidth - 1 - x, sourceHeight - 1 - y)
                    default: (y, sourceWidth - 1 - x)
                    }
                let from = row + x * 3
                let to = target.base + ty * target.stride + tx * 3
                to[0] = from[0]
                to[1] = from[1]
                to[2] = from[2]
            }
        }
        return result
    }

    /// Copies this RGB24 frame into the RGB24 frame `sheet` with its top-left corner at (`x`, `y`).
    func copyRGB(into sheet: Frame, x: Int, y: Int) {
        guard let source = plane(0), let target = sheet.plane(0) else { return }
        let columns = min(width, sheet.width - x)
        let rows = min(height, sheet.height - y)
        guard columns > 0, rows > 0 else { return }
        for row in 0..<rows {
            memcpy(target.base + (y + row) * target.stride + x * 3, source.base + row * source.stride, columns * 3)
        }
    }

    /// Paints every byte of every row of plane 0 with `value` (black for RGB24 at 0).
    func fillPlane0(_ value: UInt8) {
        guard let target = plane(0) else { return }
        for row in 0..<height { memset(target.base + row * target.stride, Int32(value), target.stride) }
    }
}
