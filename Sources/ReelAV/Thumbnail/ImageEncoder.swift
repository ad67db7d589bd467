import CFFmpeg

/// Encodes one picture as a JPEG (libavcodec `mjpeg`, full-range 4:2:0) or a PNG (`png`, RGB24), in-process.
enum ImageEncoder {
    /// The pixel format the encoder for `format` takes.
    static func pixelFormat(for format: ImageFormat) -> PixelFormat {
        format == .jpeg ? .yuvj420p : .rgb24
    }

    /// The bytes of an image file holding `frame`, which must already be in ``pixelFormat(for:)``.
    static func encode(_ frame: Frame, as format: ImageFormat, quality: Int) throws(AVError) -> [UInt8] {
        let settings = VideoEncoderSettings(
            codec: format == .jpeg ? "mjpeg" : "png", width: frame.width, height: frame.height,
            pixelFormat: pixelFormat(for: format), timeBase: Rational(1, 25),
            globalQuality: format == .jpeg ? quality : nil, threads: 1)
        let encoder = try MediaEncoder(video: settings)
        if format == .jpeg { encoder.context.pointee.color_range = AVCOL_RANGE_JPEG }
        frame.pts = 0
        let packet = try Packet()
        var bytes: [UInt8] = []
        do {
            let collect: (Packet) -> Void = { packet in
                guard let data = packet.pointer.pointee.data, packet.size > 0 else { return }
                bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: packet.size))
            }
            try encoder.encode(frame, into: packet, collect)
            try encoder.encode(nil, into: packet, collect)
        } catch let error as AVError {
            throw error
        } catch {
            throw .invalidArgument("\(encoder.name): \(error)")
        }
        guard !bytes.isEmpty else { throw .invalidArgument("\(encoder.name): the encoder produced no image") }
        return bytes
    }
}
