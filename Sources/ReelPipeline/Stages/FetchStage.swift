import Foundation
import ReelLibrary

/// The `fetch` stage: an http(s) URL, `file://` URL or local path into the library, probed (see ``MediaFetch``).
enum FetchStage {
    static func run(
        _ fetch: FetchParameters, stage: Stage, library: Library, redactor: Redactor
    ) async throws -> StageOutcome {
        let source: MediaFetch.Source
        switch fetch.source {
        case .url(let url): source = MediaFetch.Source(url)
        case .path(let path): source = .path(path)
        }
        let generation = fetch.generation.map {
            GenerationInfo(
                provider: $0.provider, model: $0.model, prompt: $0.prompt, params: $0.params, jobID: $0.jobID)
        }
        let outcome = try await MediaFetch.fetch(
            MediaFetch.Request(
                source: source, name: fetch.name, sourceType: fetch.sourceType == .generated ? .generated : .uploaded,
                generation: generation, maxSize: fetch.maxSize ?? MediaFetch.Request.defaultMaxSize,
                timeout: fetch.timeout ?? DownloadRequest.defaultTimeout, redactor: redactor),
            to: .library(library))
        guard outcome.media.video != nil, let ingest = outcome.ingest else {
            throw StageError.noVideo(stage: stage.id, path: source.description)
        }
        return StageOutcome(
            outputs: [StageOutput(role: "video", ingest: ingest, media: outcome.media)], warnings: outcome.warnings)
    }
}
