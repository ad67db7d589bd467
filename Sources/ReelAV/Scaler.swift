import CFFmpeg

/// A picture converter (an `SwsContext`): size and pixel format, with the source's colour range and matrix honoured.
public final class Scaler {
    let context: OpaquePointer
    /// Output size and format.
    public let width: Int
    public let height: Int
    public let pixelFormat: PixelFormat

    /// Makes a scaler from frames shaped like `source` to `width`×`height` in `pixelFormat`.
    /// `accurate` adds exact rounding and full chroma interpolation (slower); without it, plain bicubic as
    /// ffmpeg's `scale` filter uses.
    public init(
        from source: Frame, width: Int, height: Int, pixelFormat: PixelFormat, accurate: Bool = true
    ) throws(AVError) {
        guard width > 0, height > 0 else { throw .invalidArgument("scaler: size \(width)x\(height) is not positive") }
        let flags = accurate ? SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT : SWS_BICUBIC
        context = try allocated(
            sws_getContext(
                Int32(source.width), Int32(source.height), source.pixelFormat.av,
                Int32(width), Int32(height), pixelFormat.av, flags, nil, nil, nil),
            "sws_getContext")
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        applyColorDetails(of: source)
    }

    deinit { sws_freeContext(context) }

    private func applyColorDetails(of source: Frame) {
        let frame = source.pointer.pointee
        let sourceFull: Int32 =
            frame.color_range == AVCOL_RANGE_JPEG || source.pixelFormat.name.hasPrefix("yuvj") ? 1 : 0
        let colorspace: Int32 =
            switch frame.colorspace {
            case AVCOL_SPC_BT709: SWS_CS_ITU709
            case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: SWS_CS_BT2020
            case AVCOL_SPC_SMPTE240M: SWS_CS_SMPTE240M
            case AVCOL_SPC_FCC: SWS_CS_FCC
            default: SWS_CS_DEFAULT
            }
        let coefficients = sws_getCoefficients(colorspace)
        let destinationFull: Int32 = pixelFormat == .rgb24 || pixelFormat == .yuvj420p ? 1 : 0
        sws_setColorspaceDetails(
            context, coefficients, sourceFull, coefficients, destinationFull, 0, 1 << 16, 1 << 16)
    }

    /// Converts `source` into `destination`, allocating its buffers.
    public func scale(_ source: Frame, into destination: Frame) throws(AVError) {
        destination.unref()
        destination.pointer.pointee.width = Int32(width)
        destination.pointer.pointee.height = Int32(height)
        destination.pointer.pointee.format = pixelFormat.rawValue
        try check(av_frame_copy_props(destination.pointer, source.pointer), "av_frame_copy_props")
        try check(sws_scale_frame(context, destination.pointer, source.pointer), "sws_scale_frame")
    }
}

@available(*, unavailable)
extension Scaler: Sendable {}
