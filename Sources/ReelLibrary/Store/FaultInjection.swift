#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash points for the crash-safety tests: with `REEL_FAULT=<point>` a debug build kills itself (SIGKILL) there,
/// or, at a failure point, fails there as a real error would. Release builds ignore the variable entirely.
enum FaultInjection {
    enum Point: String {
        case afterStagingWrite = "after-staging-write"
        case afterFsync = "after-fsync"
        case afterRename = "after-rename"
        case inTransaction = "in-transaction"
        /// A delete or gc has committed its row deletions; no file is unlinked yet.
        case afterDeleteCommit = "after-delete-commit"
        /// The first file of a delete, gc or `verify --repair` is unlinked, the others not yet.
        case midUnlink = "mid-unlink"
        /// A failure point: the transaction recording a finished run fails.
        case recordingRun = "fail-run-record"
    }

    static func point(_ point: Point) {
        #if DEBUG
            if let wanted = getenv("REEL_FAULT"), String(cString: wanted) == point.rawValue {
                kill(getpid(), SIGKILL)
            }
        #endif
    }

    /// Whether `REEL_FAULT` asks for a failure at `point`; the caller then throws.
    static func fails(_ point: Point) -> Bool {
        #if DEBUG
            if let wanted = getenv("REEL_FAULT") { return String(cString: wanted) == point.rawValue }
        #endif
        return false
    }
}
