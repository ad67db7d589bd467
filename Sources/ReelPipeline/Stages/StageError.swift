import ReelLibrary

/// Why a stage could not do its work, beyond the errors of the media or library layers.
public enum StageError: Error, Sendable, CustomStringConvertible {
    /// The stage's input produced no file to work on.
    case noInputFile(stage: String)
    /// Some uploads of a store stage failed; their items are kept, pending for the remote.
    case uploadsFailed(remote: String, failed: Int, of: Int, first: RemoteSaveError)

    /// An item the stage produced was deleted or collected before the run could record it.
    case outputCollected(stage: String)

    public var description: String {
        switch self {
        case .noInputFile(let stage): "stage \"\(stage)\" got no file from its input"
        case .outputCollected:
            "an output was deleted or collected (gc, delete) before the run could record it; run again"
        case .uploadsFailed(let remote, let failed, let total, let first):
            "\(failed) of \(total) uploads to \(remote) failed (\(first))"
        }
    }
}
