import CFFmpeg

/// An error from media work: a libav call that failed, or input that cannot be used.
///
/// Every libav return code passes through ``check(_:_:file:)``, so a failure always names the libav function,
/// the file it was working on and libav's own message (`av_strerror`).
public enum AVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A libav function returned a negative code.
    case library(function: String, code: Int32, message: String, file: String?)
    /// An allocation returned NULL.
    case outOfMemory(function: String)
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The path names a directory or something else that is not a regular file.
    case notAFile(path: String)
    /// The file has no bytes.
    case emptyFile(path: String)
    /// The file holds no stream of the kind the operation needs.
    case noStream(kind: MediaType, file: String)
    /// No decoder or encoder for a codec is built into this libav.
    case codecUnavailable(name: String, file: String?)
    /// An argument the caller gave cannot be used (a seek time past the end, a zero width…).
    case invalidArgument(String)
    /// The input ended where it should not have (a truncated file).
    case truncated(file: String, detail: String)
    /// A video frame of `file` has more pixels than the ``PixelLimit`` allows.
    case frameTooLarge(file: String, width: Int, height: Int, limit: PixelLimit)
    /// The operation was cancelled.
    case cancelled

    /// The libav error code, when the error came from libav.
    public var code: Int32? {
        if case .library(_, let code, _, _) = self { return code }
        return nil
    }

    /// One line: the file first (when known), then the cause.
    public var description: String {
        switch self {
        case .library(let function, _, let message, let file):
            if let file { return "\(file): \(message) (\(function))" }
            return "\(message) (\(function))"
        case .outOfMemory(let function):
            return "out of memory (\(function))"
        case .fileNotFound(let path):
            return "\(path): No such file or directory"
        case .notAFile(let path):
            return "\(path): is a directory or not a regular file"
        case .emptyFile(let path):
            return "\(path): file is empty"
        case .noStream(let kind, let file):
            return "\(file): no \(kind.rawValue) stream"
        case .codecUnavailable(let name, let file):
            if let file { return "\(file): codec \(name) is not available in this FFmpeg build" }
            return "codec \(name) is not available in this FFmpeg build"
        case .invalidArgument(let message):
            return message
        case .truncated(let file, let detail):
            return "\(file): file is truncated or corrupt (\(detail))"
        case .frameTooLarge(let file, let width, let height, let limit):
            return "\(file): \(limit.refusal(width: width, height: height))"
        case .cancelled:
            return "cancelled"
        }
    }
}

/// libav's text for an error code, as `av_strerror` gives it.
func libavMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    _ = reel_strerror(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The one funnel for libav return codes: a negative code becomes an ``AVError/library(function:code:message:file:)``
/// whose message is libav's text for the code, preceded by the line libav logged about it when there is one
/// (`moov atom not found: Invalid data found when processing input`). `AVERROR_EXIT`, what a call returns when
/// its interrupt callback (a ``CancellationFlag``) asked it to stop, becomes ``AVError/cancelled``.
@discardableResult
func check(_ code: Int32, _ function: String, file: String? = nil) throws(AVError) -> Int32 {
    guard code < 0 else {
        return code
    }
    if code == REEL_AVERROR_EXIT {
        LibavLog.clearLastError()
        throw AVError.cancelled
    }
    var message = libavMessage(code)
    if let detail = LibavLog.lastError, detail != message {
        message = "\(detail): \(message)"
    }
    LibavLog.clearLastError()
    throw AVError.library(function: function, code: code, message: message, file: file)
}

/// Turns a libav allocation that returned NULL into ``AVError/outOfMemory(function:)``.
func allocated<T>(_ pointer: T?, _ function: String) throws(AVError) -> T {
    guard let pointer else { throw AVError.outOfMemory(function: function) }
    return pointer
}

/// `AVERROR_EOF` and `AVERROR(EAGAIN)`: control flow inside send/receive loops, never thrown.
let averrorEOF = REEL_AVERROR_EOF
let averrorEAGAIN = REEL_AVERROR_EAGAIN
/// `AV_NOPTS_VALUE`: a timestamp that is not known.
let noTimestamp = REEL_AV_NOPTS_VALUE
