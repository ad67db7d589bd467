import ReelLibrary

/// The `store` stage: marks its inputs saved in the library. Remotes are named in the library's config.
enum StoreStage {
    static func run(_ parameters: StoreParameters, inputs: [StageOutcome], library: Library) throws -> StageOutcome {
        if let remote = parameters.remote {
            let config = try LibraryConfig.load(from: library.configPath)
            guard config.remotes[remote] != nil else {
                throw StageError.unknownRemote(name: remote, config: library.configPath)
            }
            throw StageError.remoteUploadUnavailable(name: remote)
        }
        let outputs = inputs.flatMap(\.outputs).filter { $0.itemID != nil }
        _ = try library.setSaved(outputs.compactMap(\.itemID), true)
        return StageOutcome(
            outputs: outputs.map { output in
                var stored = output
                stored.role = "stored-\(output.role)"
                return stored
            })
    }
}
