/// The order stages may run in: a stage is ready once every stage it reads has finished.
public struct PipelineGraph: Sendable {
    /// For each stage id, the ids it reads.
    public let dependencies: [String: [String]]
    /// For each stage id, the ids that read it.
    public let dependents: [String: [String]]
    /// Stage ids in file order.
    public let order: [String]

    /// Builds the graph of a validated pipeline (no unknown references, no cycles).
    public init(_ pipeline: Pipeline) {
        order = pipeline.stages.map(\.id)
        var dependencies: [String: [String]] = [:]
        var dependents: [String: [String]] = Dictionary(uniqueKeysWithValues: order.map { ($0, []) })
        for stage in pipeline.stages {
            var seen: Set<String> = []
            let inputs = stage.inputs.filter { seen.insert($0).inserted }
            dependencies[stage.id] = inputs
            for input in inputs { dependents[input, default: []].append(stage.id) }
        }
        self.dependencies = dependencies
        self.dependents = dependents
    }

    /// Every stage that reads `id`, directly or through others.
    public func downstream(of id: String) -> Set<String> {
        var seen: Set<String> = []
        var queue = dependents[id] ?? []
        while let next = queue.popLast() {
            if seen.insert(next).inserted { queue.append(contentsOf: dependents[next] ?? []) }
        }
        return seen
    }

    /// A cycle among `stages`, as the ids along it ending where it started, or nil when there is none.
    /// References to unknown ids are ignored (they are reported on their own).
    ///
    /// A depth-first search with a stack of its own rather than the call stack, so a chain of any length fits.
    static func findCycle(in stages: [Stage]) -> [String]? {
        let inputs = Dictionary(stages.map { ($0.id, $0.inputs) }, uniquingKeysWith: { first, _ in first })
        var done: Set<String> = []
        // The stages on the current path, each with the index of the next input to look at.
        var path: [(id: String, next: Int)] = []
        var onPath: [String: Int] = [:]
        for stage in stages where !done.contains(stage.id) {
            path = [(stage.id, 0)]
            onPath = [stage.id: 0]
            while let (id, next) = path.last {
                let reads = inputs[id] ?? []
                guard next < reads.count else {
                    path.removeLast()
                    onPath[id] = nil
                    done.insert(id)
                    continue
                }
                path[path.count - 1].next += 1
                let input = reads[next]
                guard inputs[input] != nil, input != id, !done.contains(input) else { continue }
                if let start = onPath[input] { return (path[start...].map(\.id) + [input]).reversed() }
                onPath[input] = path.count
                path.append((input, 0))
            }
        }
        return nil
    }
}
