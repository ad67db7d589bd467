#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash points for the crash-safety tests: with `REEL_FAULT=<point>` a debug build kills itself (SIGKILL) there.
/// Release builds ignore the variable entirely.
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
    }

    static func point(_ point: Point) {
        #if DEBUG
            if let wanted = getenv("REEL_FAULT"), String(cString: wanted) == point.rawValue {
                kill(getpid(), SIGKILL)
            }
        #endif
    }
}
