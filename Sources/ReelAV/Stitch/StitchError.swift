/// Why a stitch could not be done, in one line.
public enum StitchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input list is empty.
    case noInputs
    /// Input `position` (1-based) cannot be used.
    case input(position: Int, path: String, cause: String)
    /// `--mode copy` was asked for inputs that cannot be copied together.
    case cannotCopy(String)
    /// The output cannot be written.
    case output(path: String, cause: String)
    /// An option cannot be used (odd size, zero frame rate…).
    case invalidOption(String)
    /// The overlay's picture cannot be used (unreadable, not a still image, too large for the output…).
    case overlay(path: String, cause: String)
    /// The music bed cannot be used (unreadable, no sound, fades longer than the output…).
    case music(path: String, cause: String)
    /// The stitch was cancelled (its ``CancellationFlag`` was set) before it finished.
    case cancelled

    public var description: String {
        switch self {
        case .noInputs: "no inputs given"
        case .input(let position, let path, let cause): "input \(position) (\(path)): \(cause)"
        case .cannotCopy(let reason): "cannot copy: \(reason)"
        case .output(let path, let cause): "output \(path): \(cause)"
        case .invalidOption(let message): message
        case .overlay(let path, let cause): "overlay \(path): \(cause)"
        case .music(let path, let cause): "music \(path): \(cause)"
        case .cancelled: "cancelled"
        }
    }

    /// Wraps an error met while reading input `position`, without repeating the path.
    static func input(_ position: Int, _ path: String, _ error: any Error) -> StitchError {
        if let stitch = error as? StitchError { return stitch }
        return .input(position: position, path: path, cause: cause(of: error, at: path))
    }

    /// The error's one line without the `path: ` it starts with, for a case that names the path itself.
    static func cause(of error: any Error, at path: String) -> String {
        var cause = "\(error)"
        if cause.hasPrefix("\(path): ") { cause.removeFirst(path.count + 2) }
        return cause
    }
}
