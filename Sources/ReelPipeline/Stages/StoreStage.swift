import ReelLibrary

/// The `store` stage: marks its inputs saved in the library (local first), then, with a `remote`, uploads each
/// one (see ``RemoteSaver``). A failed upload fails the stage; its items stay saved locally and pending for the
/// remote, for `reel library sync`.
enum StoreStage {
    static func run(_ parameters: StoreParameters, stage: Stage, inputs: [StageOutcome], library: Library)
        async throws -> StageOutcome
    {
        let outputs = inputs.flatMap(\.outputs).filter { $0.itemID != nil }
        _ = try library.setSaved(outputs.compactMap(\.itemID), true)
        var stored = outputs.map { output in
            var stored = output
            stored.role = "stored-\(output.role)"
            return stored
        }
        guard let remote = parameters.remote else { return StageOutcome(outputs: stored) }
        let saver = try RemoteSaver(library: library, remote: remote)
        var failures: [RemoteSaveError] = []
        for index in stored.indices {
            guard let id = stored[index].itemID else { continue }
            do {
                let saved = try await saver.save(id, keyTemplate: parameters.key, stage: stage.id)
                stored[index].remote = StageOutput.RemoteLocation(remote: remote, key: saved.key, url: saved.url)
            } catch {
                failures.append(error)
            }
        }
        if !failures.isEmpty {
            throw StageError.uploadsFailed(remote: remote, failed: failures.count, of: stored.count, first: failures[0])
        }
        return StageOutcome(outputs: stored)
    }
}
