import CFFmpeg

/// One file decoded front to back for comparison: its video frames handed out one at a time, with times in
/// seconds from the start of the clip, and its audio (when it has some) gathered as mono 48 kHz samples on the way.
final class DecodedMedia {
    /// The rate audio is compared at.
    static let audioRate = 48_000

    let file: InputFile
    let video: MediaStream
    private let videoDecoder: MediaDecoder
    private let audioDecoder: MediaDecoder?
    private var resampler: Resampler?
    /// The clip's start in seconds (the container's start time), which every time here is measured from.
    private let origin: Double
    private let packet: Packet
    private let frame: Frame
    private let mono: Frame
    private var queue: [(frame: Frame, time: Double)] = []
    private var ended = false
    /// Mono samples at ``audioRate`` from ``audioStart`` on.
    private(set) var samples: [Float] = []
    /// Seconds from the clip's start of the first audio sample, nil before any.
    private(set) var audioStart: Double?
    /// Video frames handed out so far.
    private(set) var frameCount = 0

    /// Opens `path`; a file without video is ``AVError/noStream(kind:file:)``.
    init(path: String, withAudio: Bool, cancellation: CancellationFlag? = nil) throws(AVError) {
        file = try InputFile(path: path, cancellation: cancellation)
        video = try file.requireStream(.video)
        videoDecoder = try MediaDecoder(for: video)
        let audio = withAudio ? file.bestStream(.audio) : nil
        audioDecoder = try audio.map { stream throws(AVError) in try MediaDecoder(for: stream) }
        file.discardAll(except: [video] + (audio.map { [$0] } ?? []))
        origin = file.startTime ?? 0
        packet = try Packet()
        frame = try Frame()
        mono = try Frame()
    }

    /// Whether the file has an audio stream being gathered.
    var hasAudio: Bool { audioDecoder != nil }

    /// The next video frame (its own reference, safe to keep) and its time, or nil at the end.
    func nextFrame() throws -> (frame: Frame, time: Double)? {
        while queue.isEmpty && !ended {
            if try file.read(into: packet) {
                if packet.streamIndex == video.index {
                    try decodeVideo(packet)
                } else if let audioDecoder, packet.streamIndex == audioDecoder.stream.index {
                    try decodeAudio(packet)
                }
            } else {
                try decodeVideo(nil)
                if audioDecoder != nil { try decodeAudio(nil) }
                ended = true
            }
        }
        guard !queue.isEmpty else { return nil }
        frameCount += 1
        return queue.removeFirst()
    }

    /// Reads to the end of the file so every audio sample is gathered.
    func finish() throws {
        while try nextFrame() != nil {}
    }

    private func seconds(_ timestamp: Int64?, of stream: MediaStream) -> Double {
        guard let timestamp else { return 0 }
        return Double(timestamp) * av_q2d(stream.pointer.pointee.time_base) - origin
    }

    private func decodeVideo(_ packet: Packet?) throws {
        try videoDecoder.decode(packet, into: frame) { frame in
            let time = seconds(frame.bestEffortTimestamp ?? frame.pts, of: video)
            queue.append((try frame.reference(), time))
        }
    }

    private func decodeAudio(_ packet: Packet?) throws {
        guard let audioDecoder else { return }
        try audioDecoder.decode(packet, into: frame) { frame in
            if audioStart == nil {
                audioStart = seconds(frame.bestEffortTimestamp ?? frame.pts, of: audioDecoder.stream)
            }
            let resampler = try resampler ?? Resampler(from: frame, sampleRate: Self.audioRate, channels: 1)
            self.resampler = resampler
            append(try resampler.convert(frame, into: mono))
        }
        if packet == nil, let resampler {
            append(try resampler.convert(nil, into: mono))
        }
    }

    private func append(_ count: Int) {
        guard count > 0, let data = mono.pointer.pointee.extended_data?[0] else { return }
        data.withMemoryRebound(to: Float.self, capacity: count) {
            samples.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
    }
}

@available(*, unavailable)
extension DecodedMedia: Sendable {}
