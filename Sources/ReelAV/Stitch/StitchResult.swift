/// The decision a stitch makes before any work: copy or re-encode, and why, in plain words, and the timeline it
/// will write.
public struct StitchPlan: Sendable, Hashable {
    /// `.copy` or `.reencode` (never `.auto`).
    public var mode: StitchMode
    /// `copying: …` or `re-encoding: b.mp4 audio is 44100 Hz, a.mp4 is 48000 Hz`.
    public var reason: String
    /// Each input's kept part and where it goes, in order.
    public var inputs: [PlannedInput] = []
    /// Where and when the overlay is laid over the output, when there is one.
    public var overlay: PlannedOverlay? = nil
    /// Output length in seconds.
    public var duration: Double { inputs.last.map { $0.offset + $0.duration } ?? 0 }
}

/// One input in a stitch's timeline: the part kept and where it lands.
public struct PlannedInput: Sendable, Hashable, Codable {
    public var path: String
    /// Seconds from the input's start to the first frame kept, and to the end of what is kept.
    public var from: Double
    public var to: Double
    /// Start and length in the output, in seconds (whole output frames when re-encoding).
    public var offset: Double
    public var duration: Double
    /// The transition into it from the input before, when there is one.
    public var transition: PlannedTransition? = nil

    /// Every key, `transition` null at a cut.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(offset, forKey: .offset)
        try container.encode(duration, forKey: .duration)
        try container.encode(transition, forKey: .transition)
    }
}

/// A transition in a stitch's timeline: its style and the seconds (whole output frames) the inputs share.
public struct PlannedTransition: Sendable, Hashable, Codable {
    public var style: TransitionStyle
    public var overlap: Double
}

/// Where one input landed in the output.
public struct StitchedInput: Sendable, Hashable, Codable {
    public var path: String
    /// Start in the output, in seconds.
    public var offset: Double
    /// Length in the output, in seconds.
    public var duration: Double
}

/// What a finished stitch produced.
public struct StitchResult: Sendable, Hashable {
    public var outputPath: String
    public var mode: StitchMode
    public var reason: String
    public var inputs: [StitchedInput]
    /// Output length in seconds (the sum of the inputs' lengths less the transitions' overlaps).
    public var duration: Double
    /// What loudness normalization measured and did, per input or for the whole output; empty without it.
    public var loudness: [LoudnessAdjustment] = []
}

/// How far a stitch has got, reported as it goes.
public struct StitchProgress: Sendable, Hashable {
    /// 0-based index of the input being worked on.
    public var input: Int
    public var inputCount: Int
    /// Seconds of output written so far, and the expected total.
    public var seconds: Double
    public var totalSeconds: Double
}
