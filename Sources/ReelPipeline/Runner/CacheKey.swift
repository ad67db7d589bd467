import Crypto
import Foundation

/// A stage's cache key: SHA-256 over its type, the implementation version, its canonical parameters (sorted,
/// defaults filled in) and the content hashes of its inputs. Same key, same outputs: the stage can be skipped.
public enum CacheKey {
    /// The key for `stage` given the outcomes of its inputs: its type and implementation version, its resolved
    /// options (``StageDefinition/cacheParameters``), facts outside the file and its inputs' content hashes.
    /// - Parameter material: facts outside the file that change the result (see ``StageExecutor``).
    public static func of(_ stage: Stage, inputs: [StageOutcome], material: [String] = []) -> String {
        var lines = ["type=\(stage.type.rawValue)", "version=\(stage.type.definition.version)"]
        lines += stage.definition.cacheParameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
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
