import CFFmpeg

/// Loudness normalization of a re-encoded stitch (EBU R128): each clip's sound, or the whole output's, measured
/// with libavfilter's `ebur128` filter and brought to `target` integrated loudness by one gain, lowered where it
/// would push the true peak above `truePeak`. Nothing is compressed or limited: the sound keeps its dynamics.
public struct Loudness: Sendable, Hashable, Codable {
    /// What one gain is measured over.
    public enum Scope: String, Sendable, CaseIterable, Codable {
        /// Each clip its own gain, so scenes match.
        case clip
        /// One gain for the whole output.
        case output
    }

    /// Integrated loudness to reach, in LUFS (−16 is the usual target for the web, −23 EBU broadcast).
    public var target: Double
    /// The highest true peak a gain may bring the sound to, in dBTP.
    public var truePeak: Double
    public var scope: Scope

    /// The targets a stitch may be given, in LUFS.
    public static let targets = -70.0 ... -5.0
    /// The true-peak ceilings a stitch may be given, in dBTP.
    public static let truePeaks = -9.0...0.0

    public init(target: Double = -16, truePeak: Double = -1.5, scope: Scope = .clip) {
        self.target = target
        self.truePeak = truePeak
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case target
        case truePeak = "true_peak"
        case scope = "per"
    }

    /// Why the normalization cannot be done, before any file is read; nil when it can.
    var problem: String? {
        if !Self.targets.contains(target) { return "target \(target) LUFS must be from -70 to -5 LUFS" }
        if !Self.truePeaks.contains(truePeak) { return "true peak \(truePeak) dBTP must be from -9 to 0 dBTP" }
        return nil
    }

    /// The settings as the stage cache key writes them.
    public var written: String { "per \(scope.rawValue) to \(target) LUFS, true peak \(truePeak) dBTP" }

    /// The gain for sound measured at `integrated` LUFS with a true peak of `peak` dBTP: to the target, lowered
    /// to keep the peak under the ceiling; none for sound below the measurement's gate (silence).
    func adjustment(input: Int?, integrated: Double?, peak: Double?) -> LoudnessAdjustment {
        guard let integrated, integrated > LoudnessMeter.gate else {
            return LoudnessAdjustment(input: input, integrated: nil, truePeak: peak, gain: 0, limitedByPeak: false)
        }
        var gain = target - integrated
        var limited = false
        if let peak, peak + gain > truePeak {
            gain = truePeak - peak
            limited = true
        }
        return LoudnessAdjustment(
            input: input, integrated: integrated, truePeak: peak, gain: gain, limitedByPeak: limited)
    }
}

/// What loudness normalization measured and did, for one input (per clip) or the whole output.
public struct LoudnessAdjustment: Sendable, Hashable, Codable {
    /// The input (from 1), or nil for the whole output.
    public var input: Int?
    /// Integrated loudness of the sound as it came, in LUFS; nil for silence.
    public var integrated: Double?
    /// Its true peak, in dBTP; nil for silence.
    public var truePeak: Double?
    /// The gain applied, in dB.
    public var gain: Double
    /// Whether the gain was lowered to keep the true peak under the ceiling (the target is then not reached).
    public var limitedByPeak: Bool

    enum CodingKeys: String, CodingKey {
        case input
        case integrated = "integrated_lufs"
        case truePeak = "true_peak_dbtp"
        case gain = "gain_db"
        case limitedByPeak = "limited_by_peak"
    }

    /// Every key, `null` where nothing was measured.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(integrated, forKey: .integrated)
        try container.encode(truePeak, forKey: .truePeak)
        try container.encode(gain, forKey: .gain)
        try container.encode(limitedByPeak, forKey: .limitedByPeak)
    }

    /// `input 2: -31.2 LUFS, true peak -12.0 dBTP: +15.2 dB` (or `output: …`, `…: silent, no gain`).
    public var line: String {
        let subject = input.map { "input \($0)" } ?? "output"
        guard let integrated else { return "\(subject): silent, no gain" }
        let peak = truePeak.map { ", true peak \(String(decibels: $0)) dBTP" } ?? ""
        let sign = gain >= 0 ? "+" : ""
        return "\(subject): \(String(decibels: integrated)) LUFS\(peak): \(sign)\(String(decibels: gain)) dB"
            + (limitedByPeak ? " (held back by the true-peak ceiling)" : "")
    }
}

extension String {
    /// A level with one decimal (`-16.0`).
    init(decibels value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}

/// An EBU R128 meter: libavfilter's `ebur128` filter (true peaks on) in a graph of its own, fed planar float
/// samples and read back from the metadata it attaches to the frames that pass through.
final class LoudnessMeter {
    /// Integrated loudness at or below this (the absolute gate, in LUFS) is silence.
    static let gate = -70.0

    private let graph: FilterGraph
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    private let measured: Frame
    private let channels: Int
    private var samplesAdded: Int64 = 0
    private var integrated = -Double.infinity
    private var peak = 0.0

    /// A meter for sound at `sampleRate` with `channels` channels (their default layout), planar float.
    init(sampleRate: Int, channels: Int) throws(AVError) {
        self.channels = channels
        measured = try Frame()
        var layout = AVChannelLayout()
        av_channel_layout_default(&layout, Int32(channels))
        var name = [CChar](repeating: 0, count: 64)
        av_channel_layout_describe(&layout, &name, name.count)
        av_channel_layout_uninit(&layout)
        let layoutName = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        graph = try FilterGraph(threads: 1)
        source = try graph.add(
            "abuffer",
            "time_base=1/\(sampleRate):sample_rate=\(sampleRate):sample_fmt=fltp:channel_layout=\(layoutName)"
        )
        let meter = try graph.add("ebur128", "peak=true:metadata=1")
        sink = try graph.add("abuffersink")
        try graph.link(source, to: meter)
        try graph.link(meter, to: sink)
        try graph.configure()
    }

    /// Measures `frame` (planar float at the meter's rate and channels) as the sound's next samples.
    func add(_ frame: Frame) throws(AVError) {
        guard frame.sampleCount > 0 else { return }
        frame.pts = samplesAdded
        samplesAdded += Int64(frame.sampleCount)
        try check(
            av_buffersrc_add_frame_flags(source, frame.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
            "av_buffersrc_add_frame_flags")
        try drain()
    }

    /// Ends the sound: its integrated loudness (LUFS) and true peak (dBTP), each nil for silence.
    func finish() throws(AVError) -> (integrated: Double?, truePeak: Double?) {
        if samplesAdded > 0 {
            try check(av_buffersrc_add_frame_flags(source, nil, 0), "av_buffersrc_add_frame_flags")
            try drain()
        }
        guard integrated > Self.gate else { return (nil, nil) }
        return (integrated, peak > 0 ? 20 * log10(peak) : nil)
    }

    private func drain() throws(AVError) {
        while try FilterGraph.receive(from: sink, into: measured) {
            let metadata = measured.pointer.pointee.metadata
            func value(_ key: String) -> Double? {
                guard let entry = av_dict_get(metadata, key, nil, 0), let text = entry.pointee.value else { return nil }
                return Double(String(cString: text))
            }
            if let loudness = value("lavfi.r128.I") { integrated = loudness }
            for channel in 0..<channels {
                if let level = value("lavfi.r128.true_peaks_ch\(channel)") { peak = max(peak, level) }
            }
        }
    }

    /// Measures the kept part of `fact`'s sound (from its kept start to its kept end), resampled to the meter's
    /// rate and channels as the stitch encodes it. Cards, stills and clips without sound add nothing.
    func add(
        _ fact: StitchInput, sampleRate: Int, cancellation: CancellationFlag?, pixelLimit: PixelLimit
    ) throws {
        guard fact.color == nil, !fact.isStill, fact.audio != nil else { return }
        let file = try InputFile(path: fact.path, cancellation: cancellation, pixelLimit: pixelLimit)
        guard let stream = file.bestStream(.audio) else { return }
        file.discardAll(except: [stream])
        if fact.keptStart > 0 { try file.seek(to: fact.keptStart, in: stream) }
        let decoder = try MediaDecoder(for: stream, threads: 1)
        let packet = try Packet()
        let decoded = try Frame()
        let resampled = try Frame()
        var resampler: Resampler?
        let origin = stream.startTimestamp ?? 0
        let tick = stream.timeBase.value ?? 0
        var ended = false
        func take(_ frame: Frame) throws {
            let start = Double((frame.bestEffortTimestamp ?? frame.pts ?? origin) - origin) * tick
            guard !ended, start + Double(frame.sampleCount) / Double(max(1, frame.sampleRate)) > fact.keptStart else {
                return
            }
            guard start < fact.keptEnd else {
                ended = true
                return
            }
            let converter = try resampler ?? Resampler(from: frame, sampleRate: sampleRate, channels: channels)
            resampler = converter
            _ = try converter.convert(frame, into: resampled)
            try add(resampled)
        }
        while !ended, try file.read(into: packet) {
            try cancellation?.check()
            guard packet.streamIndex == stream.index else { continue }
            try decoder.decode(packet, into: decoded, take)
        }
        try decoder.decode(nil, into: decoded, take)
    }
}

@available(*, unavailable)
extension LoudnessMeter: Sendable {}
