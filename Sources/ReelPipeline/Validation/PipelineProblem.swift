/// One thing wrong with a pipeline file, located by JSON path and stage.
public struct PipelineProblem: Sendable, Equatable, CustomStringConvertible {
    /// The pipeline file.
    public var file: String
    /// Where in the file, as a JSON path: `stages[2].inputs[0]`; empty for the whole file.
    public var path: String
    /// The id of the stage the problem is in, when it is in one.
    public var stage: String?
    /// What is wrong, in plain words.
    public var message: String

    /// `pipelines/x.json: stages[2].inputs[0] (stage "episode"): unknown stage "scene9" (did you mean "scene1"?)`
    public var description: String {
        var location = file
        if !path.isEmpty { location += ": \(path)" }
        if let stage { location += " (stage \"\(stage)\")" }
        return "\(location): \(message)"
    }
}

/// Every problem found in a pipeline file; nothing runs while there is one.
public struct PipelineValidationError: Error, Sendable, CustomStringConvertible {
    public var problems: [PipelineProblem]

    /// One line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Collects problems while a file is read.
final class ProblemList {
    let file: String
    private(set) var problems: [PipelineProblem] = []

    init(file: String) { self.file = file }

    func add(_ path: String, stage: String?, _ message: String) {
        problems.append(PipelineProblem(file: file, path: path, stage: stage, message: message))
    }
}

/// `" (did you mean "inputs"?)"` when a known name is close to `word`, else "".
func suggestion(for word: String, among candidates: some Sequence<String>) -> String {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return "" }
    return " (did you mean \"\(best.0)\"?)"
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
