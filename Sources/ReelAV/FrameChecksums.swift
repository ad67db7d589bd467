import CFFmpeg

/// The MD5 of one decoded frame, as ffmpeg's `framemd5` muxer computes it: video as tightly packed planes in the
/// decoder's pixel format, audio as interleaved samples (planar formats are interleaved first).
public struct FrameChecksum: Sendable, Hashable, Codable {
    /// Index of the stream in the file.
    public var stream: Int
    public var type: MediaType
    /// Presentation time in seconds from the start of the clip.
    public var time: Double
    /// Lowercase hex MD5 of the frame's data.
    public var md5: String

    public init(stream: Int, type: MediaType, time: Double, md5: String) {
        self.stream = stream
        self.type = type
        self.time = time
        self.md5 = md5
    }
}

extension InputFile {
    /// Decodes every video and audio frame and returns their checksums, per stream in presentation order,
    /// streams in file order. Stops with ``AVError/cancelled`` between packets and frames once the file's
    /// cancellation flag (``init(path:cancellation:)``) is set.
    public func frameChecksums() throws -> [FrameChecksum] {
        let wanted = streams.filter { $0.type == .video || $0.type == .audio }
        discardAll(except: wanted)
        var decoders: [Int: MediaDecoder] = [:]
        for stream in wanted { decoders[stream.index] = try MediaDecoder(for: stream) }
        var sums: [Int: [FrameChecksum]] = [:]
        let packet = try Packet()
        let frame = try Frame()

        func collect(_ decoder: MediaDecoder, _ packet: Packet?) throws {
            let stream = decoder.stream
            try decoder.decode(packet, into: frame) { frame in
                try cancellation?.check()
                let timestamp = frame.bestEffortTimestamp ?? 0
                let digest = try frame.md5(as: stream.type)
                sums[stream.index, default: []].append(
                    FrameChecksum(
                        stream: stream.index, type: stream.type, time: stream.secondsFromStart(timestamp), md5: digest))
            }
        }

        while try read(into: packet) {
            guard let decoder = decoders[packet.streamIndex] else { continue }
            try collect(decoder, packet)
        }
        for stream in wanted {
            if let decoder = decoders[stream.index] { try collect(decoder, nil) }
        }
        return wanted.flatMap { sums[$0.index] ?? [] }
    }
}

extension Frame {
    /// MD5 of the frame's samples or pixels, packed as `framemd5` packs them.
    func md5(as type: MediaType) throws(AVError) -> String {
        var bytes: [UInt8]
        switch type {
        case .video:
            let format = AVPixelFormat(pointer.pointee.format)
            let size = av_image_get_buffer_size(format, pointer.pointee.width, pointer.pointee.height, 1)
            try check(size, "av_image_get_buffer_size")
            bytes = [UInt8](repeating: 0, count: Int(size))
            let copied = withUnsafePointer(to: pointer.pointee.data) { data in
                withUnsafePointer(to: pointer.pointee.linesize) { lines in
                    data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                        lines.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            av_image_copy_to_buffer(
                                &bytes, size, planes, strides, format, pointer.pointee.width, pointer.pointee.height, 1)
                        }
                    }
                }
            }
            try check(copied, "av_image_copy_to_buffer")
        default:
            bytes = interleavedSamples()
        }
        return MD5Digest.hex(of: bytes)
    }

    /// Audio samples interleaved channel by channel (planar formats are packed, packed ones copied).
    private func interleavedSamples() -> [UInt8] {
        let format = AVSampleFormat(pointer.pointee.format)
        let channels = Int(pointer.pointee.ch_layout.nb_channels)
        let samples = Int(pointer.pointee.nb_samples)
        let width = Int(av_get_bytes_per_sample(format))
        guard channels > 0, width > 0, let extended = pointer.pointee.extended_data else { return [] }
        if av_sample_fmt_is_planar(format) == 0 {
            guard let data = extended[0] else { return [] }
            return Array(UnsafeBufferPointer(start: data, count: samples * channels * width))
        }
        var bytes = [UInt8](repeating: 0, count: samples * channels * width)
        for channel in 0..<channels {
            guard let plane = extended[channel] else { continue }
            for sample in 0..<samples {
                let target = (sample * channels + channel) * width
                for byte in 0..<width { bytes[target + byte] = plane[sample * width + byte] }
            }
        }
        return bytes
    }
}

/// libavutil's MD5.
enum MD5Digest {
    static func hex(of bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        av_md5_sum(&digest, bytes, bytes.count)
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
