/// Which stages may start: for each stage, how many of the stages it reads have not finished yet. Marking a stage
/// finished costs only its dependents, so scheduling a whole run is linear in its stages and references.
public struct Readiness: Sendable {
    private let graph: PipelineGraph
    private var waitingFor: [String: Int]

    /// Stages that read nothing, in file order: they can start at once.
    public let initial: [String]

    public init(_ graph: PipelineGraph) {
        self.graph = graph
        waitingFor = graph.dependencies.mapValues(\.count)
        initial = graph.order.filter { (graph.dependencies[$0] ?? []).isEmpty }
    }

    /// Marks `id` finished (in any way) and returns the stages that now wait for nothing more, in file order.
    public mutating func finish(_ id: String) -> [String] {
        var ready: [String] = []
        for dependent in graph.dependents[id] ?? [] {
            guard let count = waitingFor[dependent], count > 0 else { continue }
            waitingFor[dependent] = count - 1
            if count == 1 { ready.append(dependent) }
        }
        return ready
    }
}
