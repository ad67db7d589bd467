/// Why a thumbnail or sprite sheet could not be made. Each description is one line naming the input and the cause.
public enum ThumbnailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--at` is not a number, a percentage or `best`.
    case malformedTime(String)
    /// `--at` is below zero.
    case negativeTime(String)
    /// `--at` is a percentage of 100 or more.
    case percentOutOfRange(String)
    /// The time asked for is at or past the end of the clip.
    case pastEnd(file: String, at: Double, duration: Double)
    /// A width, height, interval, column or row count that is not positive.
    case invalidValue(name: String, value: String)
    /// JPEG quality outside ffmpeg's `-q:v` range.
    case invalidQuality(Int)
    /// A width and height asked for whose frame is above the pixel limit.
    case sizeAboveLimit(width: Int, height: Int, limit: PixelLimit)
    /// The output name does not end in `.jpg`, `.jpeg` or `.png`.
    case unsupportedOutput(path: String)
    /// The output could not be written (folder missing or not writable, disk full…).
    case cannotWrite(path: String, reason: String)
    /// The clip's duration is unknown, so a percentage or sprite interval cannot be placed.
    case unknownDuration(file: String)
    /// The video produced no picture at all.
    case noFrame(file: String)
    /// The media layer failed (no video stream, corrupt or truncated file, codec missing…).
    case media(AVError)

    public var description: String {
        if let field, let rule { return "--\(field) \(rule)" }
        switch self {
        case .pastEnd(let file, let at, let duration):
            return "\(file): --at \(secondsText(at)) s is at or past the end (duration \(secondsText(duration)) s)"
        case .unsupportedOutput(let path):
            return "\(path): output must end in .jpg, .jpeg or .png"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write (\(reason))"
        case .unknownDuration(let file):
            return "\(file): duration is unknown"
        case .noFrame(let file):
            return "\(file): no video frame could be decoded"
        case .media(let error):
            return error.description
        default:
            return rule ?? ""
        }
    }

    /// The option a usage mistake is in (`width`, `quality`, `at`…), as both the CLI (`--width`) and the pipeline's
    /// thumbnail stage (`width`, `sprite.every`) name it; nil for errors met while working.
    public var field: String? {
        switch self {
        case .malformedTime, .negativeTime, .percentOutOfRange: "at"
        case .invalidValue(let name, _): name
        case .invalidQuality: "quality"
        case .sizeAboveLimit: "width"
        default: nil
        }
    }

    /// What is wrong with the value in ``field``, without the field's name.
    public var rule: String? {
        switch self {
        case .malformedTime(let text): "'\(text)' is not SECONDS, PERCENT% or best"
        case .negativeTime(let text): "'\(text)' is negative"
        case .percentOutOfRange(let text): "'\(text)' must be below 100%"
        case .invalidValue("every", let value): "\(value) must be a positive number of seconds"
        case .invalidValue("columns", let value), .invalidValue("rows", let value):
            "\(value) must be at least 1, with the sheet at most \(ThumbnailSize.largestSide) pixels across"
        case .invalidValue(_, let value): "\(value) must be from 1 to \(ThumbnailSize.largestSide)"
        case .invalidQuality(let quality): "\(quality) must be between 1 (best) and 31 (smallest)"
        case .sizeAboveLimit(let width, let height, let limit):
            "\(width)x\(height) is above the pixel limit of \(limit) (raise it with max_pixels / --max-pixels)"
        default: nil
        }
    }
}

/// Seconds with three decimals, as errors and logs print them.
func secondsText(_ seconds: Double) -> String {
    let millis = Int((seconds * 1000).rounded())
    let sign = millis < 0 ? "-" : ""
    let value = abs(millis)
    let fraction = String(value % 1000)
    return "\(sign)\(value / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
