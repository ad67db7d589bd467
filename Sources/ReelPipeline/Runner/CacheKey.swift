import Crypto
import Foundation

/// A stage's cache key: SHA-256 over its type, the implementation version, its canonical parameters (sorted,
/// defaults filled in) and the content hashes of its inputs. Same key, same outputs: the stage can be skipped.
public enum CacheKey {
    /// Bumped when a stage type's implementation changes what it produces.
    public static let versions: [StageType: Int] = [.fetch: 1, .probe: 1, .stitch: 1, .thumbnail: 1, .store: 1]

    /// The key for `stage` given the outcomes of its inputs.
    /// - Parameter material: facts outside the file that change the result (see ``StageExecutor``).
    public static func of(_ stage: Stage, inputs: [StageOutcome], material: [String] = []) -> String {
        var lines = ["type=\(stage.type.rawValue)", "version=\(versions[stage.type] ?? 0)"]
        lines += stage.action.canonicalParameters.map { "\($0.key)=\($0.value)" }
        lines += material.map { "material=\($0)" }
        for (index, input) in inputs.enumerated() {
            for output in input.outputs {
                lines.append("input\(index).\(output.role)=\(output.sha256 ?? output.itemID ?? "-")")
            }
        }
        let digest = SHA256.hash(data: Data(lines.joined(separator: "\n").utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

extension StageAction {
    /// Every parameter that changes the stage's result, with defaults filled in, sorted by name.
    /// Names of input stages are left out: what matters is their content, which the key adds by hash.
    var canonicalParameters: [(key: String, value: String)] {
        var fields: [String: String] = [:]
        switch self {
        case .fetch(let fetch):
            switch fetch.source {
            case .url(let url): fields["url"] = url
            case .path(let path): fields["path"] = path
            }
            fields["source_type"] = fetch.sourceType.rawValue
            fields["name"] = fetch.name ?? ""
            fields["max_size"] = fetch.maxSize.map(String.init) ?? ""
            if let generation = fetch.generation {
                fields["generation.provider"] = generation.provider ?? ""
                fields["generation.model"] = generation.model ?? ""
                fields["generation.prompt"] = generation.prompt ?? ""
                fields["generation.job_id"] = generation.jobID ?? ""
                for (key, value) in generation.params { fields["generation.params.\(key)"] = value }
            }
        case .probe:
            break
        case .stitch(_, let stitch):
            fields["mode"] = stitch.mode.rawValue
            fields["size"] = stitch.size?.description ?? "first-input"
            fields["fps"] = stitch.fps.map { format($0) } ?? "first-input"
            fields["fit"] = stitch.fit.rawValue
            fields["preset"] = stitch.preset ?? "default"
            fields["crf"] = stitch.crf.map(String.init) ?? "default"
            fields["audio.rate"] = String(stitch.audioRate ?? 48000)
            fields["audio.channels"] = String(stitch.audioChannels ?? 2)
        case .thumbnail(_, let thumbnail):
            switch thumbnail.shape {
            case .frame(let at):
                fields["at"] =
                    switch at {
                    case .seconds(let seconds): "\(format(seconds))s"
                    case .percent(let percent): "\(format(percent))%"
                    case .best: "best"
                    }
            case .sprite(let every, let columns, let rows):
                fields["sprite.every"] = format(every)
                fields["sprite.columns"] = String(columns)
                fields["sprite.rows"] = rows.map(String.init) ?? "auto"
            }
            fields["width"] = thumbnail.width.map(String.init) ?? "auto"
            fields["height"] = thumbnail.height.map(String.init) ?? "auto"
            fields["quality"] = thumbnail.quality.map(String.init) ?? "default"
            fields["format"] = thumbnail.format == "jpeg" ? "jpg" : thumbnail.format
        case .store(_, let store):
            fields["remote"] = store.remote ?? ""
            fields["key"] = store.key ?? ""
        }
        return fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
}
