import ReelAV

/// Values written in more than one stage type, read one way.
extension ObjectReader {
    /// `1073741824`, `"512MB"`, `"2GiB"`, as `--max-size` takes it.
    public func byteSize(_ key: String) -> Int64? {
        guard let text = scalarText(key) else { return nil }
        guard let bytes = ByteSize.parse(text) else {
            report(key, "must be \(ByteSize.syntax), not \(text)")
            return nil
        }
        return bytes
    }

    /// `600` (seconds), `"90s"`, `"10m"`, `"1h"`, as `--timeout` takes it.
    public func timeLimit(_ key: String) -> Duration? {
        guard let text = scalarText(key) else { return nil }
        guard let limit = TimeLimit.parse(text) else {
            report(key, "must be \(TimeLimit.syntax), not \(text)")
            return nil
        }
        return limit
    }

    /// A point in a clip: seconds (`1.5`), `"00:00:07.250"` or a frame count (`"120f"`), as `--trim` takes it.
    public func clipTime(_ key: String) -> ClipTime? {
        guard let text = scalarText(key) else { return nil }
        guard let time = ClipTime(text) else {
            report(key, "\(text): not \(ClipTime.syntax)")
            return nil
        }
        return time
    }

    /// A number or a string member as the text a flag would get; nil (with a problem) for anything else.
    private func scalarText(_ key: String) -> String? {
        switch fields[key] {
        case .number(let number)?: return format(number)
        case .string?: return string(key)
        case nil: return nil
        case let value?:
            report(key, "must be a number or a string, not \(value.typeName)")
            return nil
        }
    }

    /// `max_pixels`: a whole number of pixels, or a string `N` or `WxH`.
    public func pixelLimit(_ key: String = "max_pixels") -> PixelLimit? {
        guard has(key) else { return nil }
        if case .number = fields[key] { return integer(key, minimum: 1).map { PixelLimit(maxPixels: $0) } }
        guard let text = string(key) else { return nil }
        guard let limit = PixelLimit(text) else {
            report(key, "\"\(text)\" is not \(PixelLimit.syntax)")
            return nil
        }
        return limit
    }

    /// A frame size written `WxH`.
    public func frameSize(_ key: String) -> FrameSize? {
        guard let text = string(key) else { return nil }
        guard let size = FrameSize(text) else {
            report(key, "\"\(text)\" is not \(FrameSize.syntax)")
            return nil
        }
        return size
    }

    /// A frame rate: a number (`25`, `29.97`) or a string (`"30000/1001"`, `"${fps}"`), as `--fps` takes it.
    public func frameRate(_ key: String) -> Rational? {
        guard let value = fields[key] else { return nil }
        let text: String
        switch value {
        case .number(let number): text = format(number)
        case .string:
            guard let expanded = string(key) else { return nil }
            text = expanded
        default:
            report(key, "must be a number or a string like \"30000/1001\", not \(value.typeName)")
            return nil
        }
        guard let rate = Rational(frameRate: text) else {
            report(key, "\(text) is not a frame rate (a positive number, or a fraction like 30000/1001)")
            return nil
        }
        return rate
    }

    /// The one stage this stage reads (`input`).
    func inputStage() -> [String]? { string("input", required: true).map { [$0] } }

    /// The stages this stage reads (`inputs`), at least one.
    func inputStages() -> [String]? {
        guard let inputs = strings("inputs", required: true) else { return nil }
        if inputs.isEmpty { report("inputs", "must name at least one stage") }
        return inputs
    }
}
