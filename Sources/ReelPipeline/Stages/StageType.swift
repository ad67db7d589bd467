/// The registry of stage types: each case is a `type` pipeline files may name, and its ``definition`` is the one
/// type that reads, checks, keys and runs stages of it. A new stage type is a file with its definition and a case
/// here.
public enum StageType: String, Sendable, CaseIterable, Codable {
    case fetch, probe, stitch, thumbnail, store

    /// The definition of stages of this type.
    public var definition: any StageDefinition.Type {
        switch self {
        case .fetch: FetchStage.self
        case .probe: ProbeStage.self
        case .stitch: StitchStage.self
        case .thumbnail: ThumbnailStage.self
        case .store: StoreStage.self
        }
    }

    /// The type `definition` is a stage of.
    init(_ definition: any StageDefinition) {
        let type = ObjectIdentifier(Swift.type(of: definition))
        guard let registered = Self.allCases.first(where: { ObjectIdentifier($0.definition) == type }) else {
            preconditionFailure("\(Swift.type(of: definition)) is not a registered stage type")
        }
        self = registered
    }

    /// What a stage of this type produces for the stages after it.
    public var produces: StageProduct { definition.produces }
}
