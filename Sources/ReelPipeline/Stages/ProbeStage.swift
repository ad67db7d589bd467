import ReelAV

/// The `probe` stage: describes its input video, in-process, and passes the item on with what it found.
enum ProbeStage {
    static func run(input: StageOutcome, stage: Stage) throws -> StageOutcome {
        guard let video = input.outputs.first(where: { $0.path != nil }), let path = video.path else {
            throw StageError.noInputFile(stage: stage.id)
        }
        var output = video
        output.role = "probe"
        output.media = try MediaInfo.probe(path)
        return StageOutcome(outputs: [output])
    }
}
