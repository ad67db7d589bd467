/// Why a stage could not do its work, beyond the errors of the media or library layers.
public enum StageError: Error, Sendable, CustomStringConvertible {
    /// The stage's input produced no file to work on.
    case noInputFile(stage: String)
    /// A fetched file has no video stream.
    case noVideo(stage: String, path: String)
    /// http(s) sources are not fetched by this build.
    case webFetchUnavailable(stage: String)
    /// The store stage names a remote the library's config does not have.
    case unknownRemote(name: String, config: String)
    /// Uploading to remotes is not part of this build.
    case remoteUploadUnavailable(name: String)

    public var description: String {
        switch self {
        case .noInputFile(let stage): "stage \"\(stage)\" got no file from its input"
        case .noVideo(let stage, let path): "stage \"\(stage)\": \(path): no video stream"
        case .webFetchUnavailable(let stage):
            "stage \"\(stage)\": fetching http(s) URLs is not available in this build; download the file and "
                + "give its \"path\""
        case .unknownRemote(let name, let config): "no remote named \"\(name)\" in \(config)"
        case .remoteUploadUnavailable(let name): "uploading to remote \"\(name)\" is not available in this build"
        }
    }
}
