import Foundation
import ReelLibrary

/// The `fetch` stage. Local paths (and `file://` URLs) are probed and ingested; web URLs are not fetched by this
/// build yet and fail with a message that says so.
enum FetchStage {
    static func run(_ fetch: FetchParameters, stage: Stage, library: Library) throws -> StageOutcome {
        let path: String
        switch fetch.source {
        case .path(let local):
            path = local
        case .url(let url):
            guard let parsed = URL(string: url), parsed.isFileURL else {
                throw StageError.webFetchUnavailable(stage: stage.id)
            }
            path = parsed.path
        }
        let generation = fetch.generation.map {
            GenerationInfo(
                provider: $0.provider, model: $0.model, prompt: $0.prompt, params: $0.params, jobID: $0.jobID)
        }
        let (result, info) = try LibraryImport.importFile(
            path, into: library, name: fetch.name, kind: .video,
            sourceType: fetch.sourceType == .generated ? .generated : .uploaded, generation: generation)
        guard info?.video != nil else { throw StageError.noVideo(stage: stage.id, path: path) }
        return StageOutcome(outputs: [StageOutput(role: "video", ingest: result, media: info)])
    }
}
