import CFFmpeg
import CReelLog

/// How chatty libav is. Reel reports errors itself, one line each, so by default libav prints nothing and its
/// last error line is kept to explain the next failure (``AVError`` carries it as the detail).
public enum LibavLog {
    /// Silences libav's own messages and keeps its error lines for Reel's errors.
    public static func silence() { reel_capture_log() }
    /// Forgets the last error line, before a call whose failure should be explained.
    static func clearLastError() { reel_clear_last_error() }

    /// The last error line libav logged on this thread since ``clearLastError()``, if any.
    static var lastError: String? {
        let line = String(cString: reel_last_error())
        return line.isEmpty ? nil : line
    }
}
