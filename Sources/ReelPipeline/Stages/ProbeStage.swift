import ReelAV

/// The `probe` stage: describes its input video, in-process, and passes the item on with what it found.
public struct ProbeStage: StageDefinition {
    public static let fields = ["input"]
    public static let produces = StageProduct.metadata
    public static let inputField = "input"

    public var input: String

    public init?(reading reader: ObjectReader) {
        guard let input = reader.inputStage()?.first else { return nil }
        self.input = input
    }

    public var inputs: [String] { [input] }
    public var cacheParameters: [String: String] { [:] }

    public func run(_ inputs: [StageOutcome], in context: StageContext) async throws -> StageOutcome {
        let video = try inputs.first?.video(for: context.stageID)
        guard let video, let path = video.path else { throw StageError.noInputFile(stage: context.stageID) }
        return try await offThePool { _ in
            var output = video
            output.role = "probe"
            output.media = try MediaInfo.probe(path)
            return StageOutcome(outputs: [output])
        }
    }
}
