extension Pipeline {
    /// What only the machine can show is wrong, checked before any stage runs: local inputs that do not exist,
    /// remotes the library does not know, a stitch of local files that cannot be made as asked. ``load(contentsOf:params:environment:)`` asks, for `reel validate` and
    /// `reel run` alike.
    public func problems(in environment: StageEnvironment) -> [PipelineProblem] {
        var environment = environment
        for stage in stages {
            if let file = stage.definition.knownFile { environment.knownFiles[stage.id] = file }
        }
        return stages.flatMap { stage in
            stage.definition.problems(in: environment).map { problem in
                let path = "stages[\(stage.position)]" + (problem.field.map { ".\($0)" } ?? "")
                return PipelineProblem(file: file, path: path, stage: stage.id, message: problem.message)
            }
        }
    }
}
