import Foundation
import ReelAV
import ReelLibrary

/// The stages as they run for `reel run`: media work through ReelAV, every output an item in the library,
/// linked to the items it was made from.
public struct LibraryStages: StageExecutor {
    public let library: Library
    /// Keeps secret params out of the generation details fetches record.
    public let redactor: Redactor

    public init(library: Library, redactor: Redactor = Redactor()) {
        self.library = library
        self.redactor = redactor
    }

    public func execute(_ stage: Stage, inputs: [StageOutcome]) async throws -> StageOutcome {
        try await execute(stage, inputs: inputs, progress: { _ in })
    }

    /// Runs `stage` by its definition; a stitch reports the fraction of its output written. Cancelling the task
    /// stops the media work where it is (between packets, or inside a blocking libav call).
    public func execute(
        _ stage: Stage, inputs: [StageOutcome], progress: @escaping @Sendable (Double) -> Void
    ) async throws -> StageOutcome {
        let context = StageContext(
            stageID: stage.id, inputIDs: stage.inputs, library: library, redactor: redactor, progress: progress)
        return try await stage.definition.run(inputs, in: context)
    }

    public func cacheKeyMaterial(for stage: Stage) async -> [String] { stage.definition.outsideFacts() }
}

/// Runs blocking media or file work on a thread of its own, so long decode loops never starve the cooperative
/// pool (two threads on a two-core machine). Cancelling the calling task sets the flag `body` is given, which the
/// media work reads between packets and inside libav's blocking calls.
func offThePool<T: Sendable>(_ body: @escaping @Sendable (CancellationFlag) throws -> T) async throws -> T {
    let cancellation = CancellationFlag()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body(cancellation) }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    } onCancel: {
        cancellation.cancel()
    }
}

/// The video output of a stage outcome (a fetch or stitch), for stages that read one.
extension StageOutcome {
    func video(for stage: String) throws -> StageOutput {
        guard let video = outputs.first(where: { $0.path != nil && $0.itemID != nil }) else {
            throw StageError.noInputFile(stage: stage)
        }
        return video
    }
}

/// A library item as a stage output.
extension StageOutput {
    init(role: String, ingest: IngestResult, media: MediaInfo?) {
        self.init(
            role: role, itemID: ingest.item.id, path: ingest.item.path, sha256: ingest.item.sha256,
            kind: ingest.item.kind.rawValue, media: media)
    }
}
