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

    /// A hit is recorded under this run at once, in the transaction that checks its items are still there, so a
    /// `gc` running meanwhile keeps them for the stages that read them; an item gone before then is a miss.
    public func outcome(for key: String, stage: Stage) async throws -> StageOutcome? {
        guard let recorded = try library.cachedOutputs(forKey: key) else { return nil }
        let decoder = JSONDecoder()
        let outputs = try recorded.map { try decoder.decode(StageOutput.self, from: Data($0.utf8)) }
        for output in outputs {
            guard let itemID = output.itemID else { continue }
            guard let sha256 = output.sha256, try library.holdsObject(itemID: itemID, sha256: sha256) else {
                return nil
            }
        }
        let outcome = StageOutcome(outputs: outputs, cacheHit: true)
        return try library.record(stageRecord(outcome, key: key, stage: stage), runID: runID) ? outcome : nil
    }

    public func record(_ outcome: StageOutcome, for key: String, stage: Stage) async throws {
        guard try library.record(stageRecord(outcome, key: key, stage: stage), runID: runID) else {
            throw StageError.outputCollected(stage: stage.id)
        }
    }

    private func stageRecord(_ outcome: StageOutcome, key: String, stage: Stage) throws -> RunRecord.Stage {
        RunRecord.Stage(
            id: stage.id, type: stage.type.rawValue, status: StageStatus.ok.rawValue, cacheKey: key,
            cacheHit: outcome.cacheHit, startedAt: nil, finishedAt: Date(), seconds: nil, error: nil,
            outputs: try outcome.outputs.map { try $0.catalogEntry })
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
