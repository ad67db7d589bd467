import ReelLibrary

/// The `store` stage: marks its inputs saved in the library (local first), then, with a `remote`, uploads each
/// one (see ``RemoteSaver``). A failed upload fails the stage; its items stay saved locally and pending for the
/// remote, for `reel library sync`.
public struct StoreStage: StageDefinition {
    public static let fields = ["inputs", "remote", "key"]
    public static let produces = StageProduct.storedItems
    public static let accepts: [StageProduct] = [.video, .image]

    public var inputs: [String]
    /// A remote named in the library's config, or nil for the local library only.
    public var remote: String?
    /// Key template for the remote (`campaigns/${campaign}/videos/${id}.${ext}`); nil for the remote's own.
    public var key: String?

    public init?(reading reader: ObjectReader) {
        let inputs = reader.inputStages()
        remote = reader.string("remote")
        key = reader.string("key")
        if key != nil && remote == nil { reader.report("key", "a key needs a \"remote\" to upload to") }
        guard let inputs else { return nil }
        self.inputs = inputs
    }

    public var cacheParameters: [String: String] { ["remote": remote ?? "", "key": key ?? ""] }

    /// The remote must be one the library knows.
    public func problems(in environment: StageEnvironment) -> [(field: String?, message: String)] {
        guard let remote, !environment.remotes.contains(remote) else { return [] }
        let known = environment.remotes.sorted()
        return [
            (
                "remote",
                "no remote \"\(remote)\" in the library at \(environment.libraryPath) ("
                    + (known.isEmpty
                        ? "it has none; add one with reel remote add" : "it has \(known.joined(separator: ", "))")
                    + ")" + suggestion(for: remote, among: known)
            )
        ]
    }

    public func run(_ inputs: [StageOutcome], in context: StageContext) async throws -> StageOutcome {
        let library = context.library
        let outputs = inputs.flatMap(\.outputs).filter { $0.itemID != nil }
        _ = try library.setSaved(outputs.compactMap(\.itemID), true)
        var stored = outputs.map { output in
            var stored = output
            stored.role = "stored-\(output.role)"
            return stored
        }
        guard let remote else { return StageOutcome(outputs: stored) }
        let saver = try RemoteSaver(library: library, remote: remote)
        var failures: [RemoteSaveError] = []
        for index in stored.indices {
            guard let id = stored[index].itemID else { continue }
            do {
                let saved = try await saver.save(id, keyTemplate: key, stage: context.stageID)
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
