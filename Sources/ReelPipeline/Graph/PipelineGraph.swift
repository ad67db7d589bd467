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

    /// Stages whose dependencies are all in `finished`, not themselves finished or in `started`, in file order.
    public func ready(finished: Set<String>, started: Set<String>) -> [String] {
        order.filter { id in
            !finished.contains(id) && !started.contains(id)
                && (dependencies[id] ?? []).allSatisfy(finished.contains)
        }
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
    static func findCycle(in stages: [Stage]) -> [String]? {
        let inputs = Dictionary(stages.map { ($0.id, $0.inputs) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Bool] = [:]  // false: on the current path; true: done
        var path: [String] = []

        func visit(_ id: String) -> [String]? {
            if state[id] == true { return nil }
            if state[id] == false, let start = path.firstIndex(of: id) { return Array(path[start...]) + [id] }
            state[id] = false
            path.append(id)
            for input in inputs[id] ?? [] where inputs[input] != nil && input != id {
                if let cycle = visit(input) { return cycle }
            }
            path.removeLast()
            state[id] = true
            return nil
        }

        for stage in stages {
            if let cycle = visit(stage.id) { return cycle.reversed() }
        }
        return nil
    }
}
