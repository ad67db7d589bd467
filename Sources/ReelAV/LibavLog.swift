import CFFmpeg

/// How chatty libav is on stderr. Reel reports errors itself, one line each, so it silences libav by default.
public enum LibavLog {
    /// Silences libav's own messages.
    public static func silence() { av_log_set_level(AV_LOG_QUIET) }
    /// Lets libav print its warnings and errors (for `--verbose`).
    public static func showWarnings() { av_log_set_level(AV_LOG_WARNING) }
}
