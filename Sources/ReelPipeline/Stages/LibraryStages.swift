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

    /// Runs `stage`; a stitch reports the fraction of its output written. Cancelling the task stops the media
    /// work where it is (between packets, or inside a blocking libav call).
    public func execute(
        _ stage: Stage, inputs: [StageOutcome], progress: @escaping @Sendable (Double) -> Void
    ) async throws -> StageOutcome {
        let library = self.library
        switch stage.action {
        case .fetch(let fetch):
            return try await FetchStage.run(fetch, stage: stage, library: library, redactor: redactor)
        case .probe:
            let input = try Self.single(inputs, stage)
            return try await offThePool { _ in try ProbeStage.run(input: input, stage: stage) }
        case .stitch(_, let parameters):
            return try await offThePool { cancellation in
                try StitchStage.run(
                    parameters, inputs: inputs, stage: stage, library: library, cancellation: cancellation,
                    progress: progress)
            }
        case .thumbnail(_, let parameters):
            let input = try Self.single(inputs, stage)
            return try await offThePool { cancellation in
                try ThumbnailStage.run(
                    parameters, input: input, stage: stage, library: library, cancellation: cancellation)
            }
        case .store(_, let parameters):
            return try await StoreStage.run(parameters, stage: stage, inputs: inputs, library: library)
        }
    }

    /// A local source's size and modification time, so a changed file is fetched again; a URL's redacted form,
    /// so a fresh signature for the same object is still a cache hit (and no secret reaches the cache key).
    public func cacheKeyMaterial(for stage: Stage) async -> [String] {
        guard case .fetch(let fetch) = stage.action else { return [] }
        let path: String
        switch MediaFetch.Source(fetch.source.text) {
        case .url(let url): return ["url=\(url.redacted)"]
        case .path(let local): path = local
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return [] }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return ["size=\(size)", "mtime=\(modified)"]
    }

    static func single(_ inputs: [StageOutcome], _ stage: Stage) throws -> StageOutcome {
        guard let input = inputs.first else { throw StageError.noInputFile(stage: stage.id) }
        return input
    }
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
    func video(for stage: Stage) throws -> StageOutput {
        guard let video = outputs.first(where: { $0.path != nil && $0.itemID != nil }) else {
            throw StageError.noInputFile(stage: stage.id)
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
