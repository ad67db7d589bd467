import Foundation
import ReelLibrary

/// Stage outcomes remembered in the library's catalog: a stage whose cache key matches a successful stage of an
/// earlier run, and whose items are all still in the library (row and object file), is not run again. An output
/// deleted or collected since is a miss: the stage runs again.
public struct LibraryStageCache: StageCache {
    public let library: Library
    /// The run being recorded; each fresh outcome is written under it at once, so a later run can reuse it even
    /// if this one dies.
    public let runID: String

    public init(library: Library, runID: String) {
        self.library = library
        self.runID = runID
    }

    public func outcome(for key: String) async throws -> StageOutcome? {
        guard let recorded = try library.cachedOutputs(forKey: key) else { return nil }
        let decoder = JSONDecoder()
        let outputs = try recorded.map { try decoder.decode(StageOutput.self, from: Data($0.utf8)) }
        for output in outputs {
            guard let itemID = output.itemID else { continue }
            guard let sha256 = output.sha256, try library.holdsObject(itemID: itemID, sha256: sha256) else {
                return nil
            }
        }
        return StageOutcome(outputs: outputs, cacheHit: true)
    }

    public func record(_ outcome: StageOutcome, for key: String, stage: Stage) async throws {
        try library.record(
            RunRecord.Stage(
                id: stage.id, type: stage.type.rawValue, status: StageStatus.ok.rawValue, cacheKey: key,
                cacheHit: false, startedAt: nil, finishedAt: Date(), seconds: nil, error: nil,
                outputs: try outcome.outputs.map { try $0.catalogEntry }),
            runID: runID)
    }
}

extension StageOutput {
    /// The output as the catalog keeps it: item, role and JSON.
    var catalogEntry: (itemID: String?, role: String, json: String) {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (itemID, role, String(decoding: try encoder.encode(self), as: UTF8.self))
        }
    }
}
