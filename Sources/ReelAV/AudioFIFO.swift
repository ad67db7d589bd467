import CFFmpeg

/// A first-in first-out buffer of planar float samples (an `AVAudioFifo`), used to cut audio into the fixed-size
/// frames an encoder such as AAC wants.
public final class AudioFIFO {
    let pointer: OpaquePointer
    /// Channels per sample.
    public let channels: Int
    /// Samples per second (carried into the frames read out).
    public let sampleRate: Int

    /// An empty FIFO of planar float audio.
    public init(channels: Int, sampleRate: Int) throws(AVError) {
        pointer = try allocated(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, Int32(channels), 4096), "av_audio_fifo_alloc")
        self.channels = channels
        self.sampleRate = sampleRate
    }

    deinit { av_audio_fifo_free(pointer) }

    /// Samples per channel waiting.
    public var count: Int { Int(av_audio_fifo_size(pointer)) }

    /// Appends `samples` samples of `frame` (planar float, ``channels`` channels) starting at sample `skipping`.
    public func write(_ frame: Frame, skipping skip: Int = 0, samples: Int? = nil) throws(AVError) {
        let count = Int32(samples ?? (frame.sampleCount - skip))
        guard count > 0, skip >= 0, skip + Int(count) <= frame.sampleCount,
            let data = frame.pointer.pointee.extended_data
        else { return }
        var planes = [UnsafeMutableRawPointer?](repeating: nil, count: channels)
        for channel in 0..<channels {
            planes[channel] = data[channel].map { UnsafeMutableRawPointer($0 + skip * MemoryLayout<Float>.size) }
        }
        let written = planes.withUnsafeMutableBufferPointer { buffer in
            av_audio_fifo_write(pointer, buffer.baseAddress, count)
        }
        try check(written, "av_audio_fifo_write")
    }

    /// Empties the FIFO.
    public func reset() { av_audio_fifo_reset(pointer) }

    /// Appends `samples` samples of silence.
    public func writeSilence(_ samples: Int) throws(AVError) {
        guard samples > 0 else { return }
        let frame = try Frame()
        try frame.allocateAudio(samples: samples, channels: channels, sampleRate: sampleRate)
        av_samples_set_silence(
            frame.pointer.pointee.extended_data, 0, Int32(samples), Int32(channels), AV_SAMPLE_FMT_FLTP)
        try write(frame)
    }

    /// Drops `samples` samples from the front.
    public func drain(_ samples: Int) {
        av_audio_fifo_drain(pointer, Int32(min(samples, count)))
    }

    /// Moves up to `samples` samples from the front into `frame` (allocated fresh). Returns the count moved.
    @discardableResult
    public func read(_ samples: Int, into frame: Frame) throws(AVError) -> Int {
        let wanted = min(samples, count)
        try frame.allocateAudio(samples: max(wanted, 1), channels: channels, sampleRate: sampleRate)
        guard wanted > 0, let data = frame.pointer.pointee.extended_data else { return 0 }
        let planes = UnsafeMutableRawPointer(data).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        let read = try check(av_audio_fifo_read(pointer, planes, Int32(wanted)), "av_audio_fifo_read")
        frame.pointer.pointee.nb_samples = read
        return Int(read)
    }
}

@available(*, unavailable)
extension AudioFIFO: Sendable {}

extension Frame {
    /// Gives the frame fresh buffers for `samples` planar float samples.
    func allocateAudio(samples: Int, channels: Int, sampleRate: Int) throws(AVError) {
        unref()
        pointer.pointee.nb_samples = Int32(samples)
        pointer.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        pointer.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&pointer.pointee.ch_layout, Int32(channels))
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    /// Gives the frame fresh buffers for a `width`×`height` picture.
    func allocateVideo(width: Int, height: Int, pixelFormat: PixelFormat) throws(AVError) {
        unref()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = pixelFormat.rawValue
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }
}
