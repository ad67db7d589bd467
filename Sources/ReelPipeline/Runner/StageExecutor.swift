/// Does the work of one stage. The runner decides when; an executor decides how (fetch, stitch…).
public protocol StageExecutor: Sendable {
    /// Runs `stage`. `inputs` are the outcomes of the stages it reads, in the order of ``Stage/inputs``.
    func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome

    /// Runs `stage` as ``execute(_:inputs:)`` does, telling `progress` the fraction done (0…1) as it goes when the
    /// stage can tell cheaply. `progress` may be called from any thread.
    func execute(
        _ stage: Stage, inputs: [StageOutcome], progress: @escaping @Sendable (Double) -> Void
    ) async throws -> StageOutcome

    /// Facts outside the pipeline file that change the stage's result, for its cache key
    /// (a local source file's size and modification time, say).
    func cacheKeyMaterial(for stage: Stage) async -> [String]
}

extension StageExecutor {
    /// No progress: runs ``execute(_:inputs:)``.
    public func execute(
        _ stage: Stage, inputs: [StageOutcome], progress: @escaping @Sendable (Double) -> Void
    ) async throws -> StageOutcome {
        try await execute(stage, inputs: inputs)
    }

    public func cacheKeyMaterial(for stage: Stage) async -> [String] { [] }
}

/// Remembers stage outcomes by cache key, so an unchanged stage does no work the next time.
public protocol StageCache: Sendable {
    /// The outcome recorded for `key`, if its outputs are still there, about to be reused by `stage`.
    func outcome(for key: String, stage: Stage) async throws -> StageOutcome?
    /// Records a fresh outcome under `key`.
    func record(_ outcome: StageOutcome, for key: String, stage: Stage) async throws
}
