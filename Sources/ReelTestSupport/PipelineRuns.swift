import Foundation

extension ReelBinary {
    /// `reel run PIPELINE --library LIBRARY --json` on the pipeline `json`, written to a new file in `folder`.
    public static func runPipeline(_ json: String, in folder: URL, library: String) throws -> ProcessResult {
        let file = folder.appendingPathComponent("pipeline-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        return try run(["run", file.path, "--library", library, "--json"])
    }
}

/// The manifest `reel run --json` printed, read for what the tests ask of it: each stage by id, its first output.
public struct PrintedManifest {
    public let stages: [[String: Any]]

    public init(_ result: ProcessResult) throws {
        let manifest = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] ?? [:]
        stages = manifest["stages"] as? [[String: Any]] ?? []
    }

    /// The stage with this id.
    public func stage(_ id: String) -> [String: Any]? { stages.first { $0["id"] as? String == id } }

    /// The first output of the stage with this id.
    public func output(_ id: String) -> [String: Any]? { (stage(id)?["outputs"] as? [[String: Any]])?.first }
}
