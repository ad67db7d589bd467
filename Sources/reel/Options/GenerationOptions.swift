import ArgumentParser
import ReelLibrary

/// How an AI provider made a file (`--provider`, `--model`, `--prompt`, `--job-id`, `--param`), shared by the
/// commands that bring files in.
struct GenerationOptions: ParsableArguments {
    @Option(help: "AI provider (generation details).") var provider: String?
    @Option(help: "AI model.") var model: String?
    @Option(help: "Prompt text.") var prompt: String?
    @Option(help: "Provider job id.") var jobID: String?
    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("Generation parameter (repeatable).", valueName: "name=value"),
        transform: Assignment.init(parsing:))
    var params: [Assignment] = []

    /// The generation details, or nil when none were given.
    var info: GenerationInfo? {
        guard provider != nil || model != nil || prompt != nil || jobID != nil || !params.isEmpty else { return nil }
        return GenerationInfo(
            provider: provider, model: model, prompt: prompt, params: Assignment.dictionary(params), jobID: jobID)
    }
}
