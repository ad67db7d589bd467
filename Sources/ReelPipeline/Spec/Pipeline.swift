import Foundation
import ReelAV

/// A pipeline file, parsed and validated: what to run, in which order it may run, and what to expect.
public struct Pipeline: Sendable, Equatable {
    /// The file it was read from, as given; its relative paths are relative to the file's folder.
    public var file: String
    /// Format version; only 1 exists.
    public var version: Int
    /// The pipeline's name, used in run records.
    public var name: String
    /// Parameter values after `--param` overrides (what `${name}` expands to).
    public var params: [String: String]
    /// The batch's rows file (`each`, as an absolute path): one instance of the pipeline per row.
    public var each: String?
    /// Stages in file order.
    public var stages: [Stage]
    /// Checks to run after the stages, by stage id.
    public var expectations: [Expectation]

    /// The fields a pipeline file may have at its top level.
    public static let topLevelFields = ["version", "name", "description", "params", "each", "stages", "expect"]

    /// The stage with `id`, if any.
    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }
}

/// One stage of a pipeline: its id and what it does (a value of its type's ``StageDefinition``).
public struct Stage: Sendable, Equatable {
    /// Unique within the pipeline; other stages refer to it by this.
    public var id: String
    /// Its index in the file's `stages` array, for messages.
    public var position: Int
    /// The stage's parameters, read and checked by its type.
    public var definition: any StageDefinition

    public init(id: String, position: Int, definition: any StageDefinition) {
        self.id = id
        self.position = position
        self.definition = definition
    }

    /// The ids of the stages whose outputs this one reads, in order.
    public var inputs: [String] { definition.inputs }

    /// The stage's type, as named in pipeline files.
    public var type: StageType { StageType(definition) }

    /// The stage's definition as a `T`, when it is one (`stage.as(StitchStage.self)?.options`).
    public func `as`<T: StageDefinition>(_ type: T.Type) -> T? { definition as? T }

    public static func == (lhs: Stage, rhs: Stage) -> Bool {
        lhs.id == rhs.id && lhs.position == rhs.position && AnyHashable(lhs.definition) == AnyHashable(rhs.definition)
    }
}

/// A check on one stage's output, run after the pipeline.
public struct Expectation: Sendable, Equatable {
    public var stage: String
    public var duration: ClosedRange<Double>?
    /// The display size (rotation and sample aspect ratio applied), as `library list` and players show it.
    public var videoSize: FrameSize?
    public var videoCodec: String?
    public var fps: Double?
    public var hasAudio: Bool?
    public var audioRate: Int?
    public var audioChannels: Int?
    public var frames: Int?
    public var sha256: String?
    /// A per-frame checksum file written by `reel verify --write-checksums`, as an absolute path (written relative
    /// to the file the expectation is in).
    public var checksums: String?
    /// A perceptual comparison with a reference file (`similar_to`), its path absolute like ``checksums``.
    public var similarTo: Similarity?
}
