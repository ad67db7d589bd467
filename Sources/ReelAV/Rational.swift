import CFFmpeg

/// An exact fraction, as libav uses for time bases, frame rates and aspect ratios.
public struct Rational: Sendable, Hashable, Codable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    init(_ value: AVRational) {
        self.init(value.num, value.den)
    }

    var av: AVRational { AVRational(num: numerator, den: denominator) }

    /// The fraction as a floating-point number, or nil when the denominator is zero.
    public var value: Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    /// A zero numerator: libav's way of saying "unknown".
    public var isUnknown: Bool { numerator == 0 || denominator == 0 }

    /// The fraction in lowest terms.
    public var reduced: Rational {
        var num: Int32 = 0
        var den: Int32 = 0
        av_reduce(&num, &den, Int64(numerator), Int64(denominator), Int64(Int32.max))
        return Rational(num, den)
    }

    /// `30000/1001`.
    public var description: String { "\(numerator)/\(denominator)" }

    /// `16:9`, as aspect ratios are written.
    public var ratioString: String { "\(numerator):\(denominator)" }

    public init(from decoder: any Swift.Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == ":" })
        guard parts.count == 2, let num = Int32(parts[0]), let den = Int32(parts[1]) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a fraction"))
        }
        self.init(num, den)
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Converts a timestamp in a stream's time base to seconds; nil for `AV_NOPTS_VALUE`.
func seconds(_ timestamp: Int64, _ timeBase: AVRational) -> Double? {
    guard timestamp != noTimestamp else { return nil }
    return Double(timestamp) * av_q2d(timeBase)
}

extension Rational {
    /// A frame rate given as a number: 29.97, 23.976 and 59.94 mean the NTSC rates N×1000/1001; other values are
    /// kept to a thousandth. Nil unless the value is positive and fits a fraction of 32-bit integers; whether a
    /// rate is usable is ``StitchOptions``' rule.
    public init?(framesPerSecond value: Double) {
        guard value > 0, value < Double(Int32.max) else { return nil }
        let ntsc = (value * 1.001).rounded()
        let thousandths = (value * 1000).rounded()
        if abs(value * 1.001 - ntsc) < 0.005, abs(value - ntsc) > 0.001, ntsc * 1000 < Double(Int32.max) {
            self.init(Int32(ntsc) * 1000, 1001)
        } else if thousandths >= 1, thousandths < Double(Int32.max) {
            self = Rational(Int32(thousandths), 1000).reduced
        } else {
            self.init(av_d2q(value, Int32.max))
        }
    }

    /// A frame rate as people write it: `30`, `30000/1001` or `29.97`. Nil when it is not a positive rate.
    public init?(frameRate text: String) {
        let parts = text.split(separator: "/")
        if parts.count == 2, let num = Int32(parts[0]), let den = Int32(parts[1]), num > 0, den > 0 {
            self.init(num, den)
        } else if parts.count == 1, let value = Int32(parts[0]), value > 0 {
            self.init(value, 1)
        } else if parts.count == 1, let value = Double(parts[0]) {
            self.init(framesPerSecond: value)
        } else {
            return nil
        }
    }
}
