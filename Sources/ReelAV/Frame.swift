import CFFmpeg

/// An owned `AVFrame`: decoded pictures or audio samples, freed with the frame.
public final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    public init() throws(AVError) {
        pointer = try allocated(av_frame_alloc(), "av_frame_alloc")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    /// Drops the frame's buffers so it can be filled again.
    public func unref() { av_frame_unref(pointer) }

    /// Presentation timestamp in the time base of whoever produced the frame, nil when unknown.
    public var pts: Int64? {
        get { pointer.pointee.pts == noTimestamp ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? noTimestamp }
    }

    /// The decoder's best guess at the presentation time (what ffmpeg itself uses), nil when unknown.
    public var bestEffortTimestamp: Int64? {
        pointer.pointee.best_effort_timestamp == noTimestamp ? nil : pointer.pointee.best_effort_timestamp
    }

    /// Picture width in pixels (video).
    public var width: Int { Int(pointer.pointee.width) }
    /// Picture height in pixels (video).
    public var height: Int { Int(pointer.pointee.height) }
    /// Pixel format (video).
    public var pixelFormat: PixelFormat { PixelFormat(AVPixelFormat(pointer.pointee.format)) }
    /// Sample aspect ratio (video); 0/1 when unknown.
    public var sampleAspectRatio: Rational { Rational(pointer.pointee.sample_aspect_ratio) }
    /// Number of audio samples per channel (audio).
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }
    /// Samples per second (audio).
    public var sampleRate: Int { Int(pointer.pointee.sample_rate) }
    /// Whether the frame is a keyframe.
    public var isKeyframe: Bool { pointer.pointee.key_frame != 0 }

    /// Base address and row stride of plane `index`.
    func plane(_ index: Int) -> (base: UnsafeMutablePointer<UInt8>, stride: Int)? {
        let base = withUnsafePointer(to: pointer.pointee.data) { tuple in
            tuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { $0[index] }
        }
        let stride = withUnsafePointer(to: pointer.pointee.linesize) { tuple in
            tuple.withMemoryRebound(to: Int32.self, capacity: 8) { Int($0[index]) }
        }
        guard let base else { return nil }
        return (base, stride)
    }
}

@available(*, unavailable)
extension Frame: Sendable {}
