import CFFmpeg

/// A music bed: a sound file mixed under a re-encoded stitch's own sound from the start, at its own volume, faded in
/// from the start and out to the end of the output, played once (then silence) or looped to the end. It is mixed
/// after the clips' loudness gains and before the output's fade, so a fade out takes it down too.
public struct MusicBed: Sendable, Hashable {
    /// The sound file (any format libav reads: M4A, MP3, WAV, a video's sound…).
    public var path: String
    /// Gain in dB applied to the bed (−12: a quarter of its amplitude).
    public var volume: Double
    /// Seconds the bed fades in over from the output's start, and out over before its end.
    public var fadeIn: Double
    public var fadeOut: Double
    /// Whether the bed starts again from its beginning when it ends before the output does.
    public var loops: Bool

    /// The volumes a bed may be given, in dB.
    public static let volumes = -60.0...12.0

    public init(path: String, volume: Double = -12, fadeIn: Double = 0, fadeOut: Double = 0, loops: Bool = false) {
        self.path = path
        self.volume = volume
        self.fadeIn = fadeIn
        self.fadeOut = fadeOut
        self.loops = loops
    }

    /// Why the bed cannot be mixed, before any file is read; nil when it can.
    var problem: String? {
        if !Self.volumes.contains(volume) { return "volume \(volume) dB must be from -60 to 12 dB" }
        if let problem = Fade(in: fadeIn, out: fadeOut).problem, fadeIn != 0 || fadeOut != 0 { return problem }
        return nil
    }

    /// The settings as the stage cache key writes them.
    public var written: String {
        "volume \(volume) dB fade \(fadeIn):\(fadeOut)\(loops ? " looped" : "")"
    }

    /// Refuses a bed whose file has no sound, cannot be read, or whose fades do not fit in `duration` seconds.
    func check(duration: Double) throws(StitchError) {
        do {
            _ = try InputFile(path: path).requireStream(.audio)
        } catch {
            throw .music(path: path, cause: StitchError.cause(of: error, at: path))
        }
        if fadeIn + fadeOut > duration + 1e-9 {
            throw .music(
                path: path,
                cause: "fade in \(String(seconds: fadeIn)) s + out \(String(seconds: fadeOut)) s is longer than the "
                    + "output (\(String(seconds: duration)) s)")
        }
    }
}

/// A music bed's sound, decoded and resampled to the output's rate and channels as the mix needs it, and mixed into
/// output audio frames by their position.
final class MusicBedReader {
    let bed: MusicBed
    private let sampleRate: Int
    private let channels: Int
    private let cancellation: CancellationFlag?
    private let fifo: AudioFIFO
    private let packet: Packet
    private let decoded: Frame
    private let resampled: Frame
    private let taken: Frame
    private var source: (file: InputFile, stream: MediaStream, decoder: MediaDecoder, resampler: Resampler?)?
    /// Whether the file has been read to its end (and, without looping, nothing more will come).
    private var exhausted = false

    init(_ bed: MusicBed, sampleRate: Int, channels: Int, cancellation: CancellationFlag?) throws {
        self.bed = bed
        self.sampleRate = sampleRate
        self.channels = channels
        self.cancellation = cancellation
        fifo = try AudioFIFO(channels: channels, sampleRate: sampleRate)
        packet = try Packet()
        decoded = try Frame()
        resampled = try Frame()
        taken = try Frame()
        try open()
    }

    private func open() throws {
        let file = try InputFile(path: bed.path, cancellation: cancellation)
        let stream = try file.requireStream(.audio)
        file.discardAll(except: [stream])
        source = (file, stream, try MediaDecoder(for: stream, threads: 1), nil)
    }

    /// Decodes until the FIFO holds `samples` or the file ends (then starts it again when looping).
    private func fill(_ samples: Int) throws {
        var reopened = false
        while fifo.count < samples, !exhausted, var current = source {
            func take(_ frame: Frame) throws {
                let resampler =
                    try current.resampler ?? Resampler(from: frame, sampleRate: sampleRate, channels: channels)
                current.resampler = resampler
                source = current
                _ = try resampler.convert(frame, into: resampled)
                try fifo.write(resampled)
            }
            if try current.file.read(into: packet) {
                guard packet.streamIndex == current.stream.index else { continue }
                try current.decoder.decode(packet, into: decoded, take)
                reopened = false
                continue
            }
            try current.decoder.decode(nil, into: decoded, take)
            if let resampler = source?.resampler {
                _ = try resampler.convert(nil, into: resampled)
                try fifo.write(resampled)
            }
            // A file that ends again right after being opened has no samples to loop.
            guard bed.loops, !reopened else {
                exhausted = true
                return
            }
            try open()
            reopened = true
        }
    }

    /// Adds the bed's next `frame.sampleCount` samples, at its volume and fades, to `frame` (planar float, output
    /// samples from `start` on, of `total` in all).
    func mix(into frame: Frame, at start: Int64, total: Int64) throws {
        let count = frame.sampleCount
        guard count > 0 else { return }
        try fill(count)
        let available = try fifo.read(min(count, fifo.count), into: taken)
        guard available > 0, let planes = frame.pointer.pointee.extended_data,
            let bedPlanes = taken.pointer.pointee.extended_data
        else { return }
        let level = pow(10, bed.volume / 20)
        let fade = Fade(in: bed.fadeIn, out: bed.fadeOut)
        let faded = bed.fadeIn > 0 || bed.fadeOut > 0
        let rate = Double(sampleRate)
        let gains = (0..<available).map { index in
            Float(level * (faded ? fade.gain(at: start + Int64(index), of: total, rate: rate) : 1))
        }
        for channel in 0..<channels {
            guard let plane = planes[channel], let bedPlane = bedPlanes[channel] else { continue }
            plane.withMemoryRebound(to: Float.self, capacity: count) { samples in
                bedPlane.withMemoryRebound(to: Float.self, capacity: available) { music in
                    for index in 0..<available { samples[index] += music[index] * gains[index] }
                }
            }
        }
    }
}

@available(*, unavailable)
extension MusicBedReader: Sendable {}
