import CFFmpeg

/// An audio converter (an `SwrContext`): any rate, layout and sample format to one target.
public final class Resampler {
    let context: OpaquePointer
    /// Output rate, channels and format.
    public let sampleRate: Int
    public let channels: Int
    let sampleFormat: AVSampleFormat

    /// Makes a resampler from audio shaped like `source` (a decoded frame) to `sampleRate` Hz, `channels`
    /// channels (default layout for that count), planar float, or interleaved float with `interleaved`.
    public init(from source: Frame, sampleRate: Int, channels: Int, interleaved: Bool = false) throws(AVError) {
        let format = interleaved ? AV_SAMPLE_FMT_FLT : AV_SAMPLE_FMT_FLTP
        var input = source.pointer.pointee.ch_layout
        var defaultInput = AVChannelLayout()
        if input.order == AV_CHANNEL_ORDER_UNSPEC || input.nb_channels == 0 {
            av_channel_layout_default(&defaultInput, max(1, input.nb_channels))
            input = defaultInput
        }
        var output = AVChannelLayout()
        av_channel_layout_default(&output, Int32(channels))
        var context: OpaquePointer? = nil
        try check(
            swr_alloc_set_opts2(
                &context, &output, format, Int32(sampleRate), &input,
                AVSampleFormat(source.pointer.pointee.format), source.pointer.pointee.sample_rate, 0, nil),
            "swr_alloc_set_opts2")
        guard let context else { throw .outOfMemory(function: "swr_alloc_set_opts2") }
        let initialised = swr_init(context)
        if initialised < 0 {
            var owned: OpaquePointer? = context
            swr_free(&owned)
            try check(initialised, "swr_init")
        }
        self.context = context
        self.sampleRate = sampleRate
        self.channels = channels
        self.sampleFormat = format
    }

    deinit {
        var owned: OpaquePointer? = context
        swr_free(&owned)
    }

    /// Converts `source` (or, with nil, drains what the resampler still holds) into `destination`, allocating
    /// its buffers. Returns the number of samples per channel written.
    @discardableResult
    public func convert(_ source: Frame?, into destination: Frame) throws(AVError) -> Int {
        destination.unref()
        let inputCount = source.map { Int32($0.sampleCount) } ?? 0
        let capacity = swr_get_out_samples(context, inputCount) + 32
        destination.pointer.pointee.nb_samples = max(capacity, 1)
        destination.pointer.pointee.format = sampleFormat.rawValue
        destination.pointer.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&destination.pointer.pointee.ch_layout, Int32(channels))
        try check(av_frame_get_buffer(destination.pointer, 0), "av_frame_get_buffer")
        let output = destination.pointer.pointee.extended_data
        let written: Int32
        if let source, let data = source.pointer.pointee.extended_data {
            let input = UnsafeMutableRawPointer(data).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
            written = swr_convert(context, output, capacity, input, inputCount)
        } else {
            written = swr_convert(context, output, capacity, nil, 0)
        }
        try check(written, "swr_convert")
        destination.pointer.pointee.nb_samples = written
        return Int(written)
    }
}

@available(*, unavailable)
extension Resampler: Sendable {}
