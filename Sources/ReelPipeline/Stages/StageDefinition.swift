import Foundation
import ReelLibrary

/// A kind of stage, defined in one place: how its JSON fields read and what they may hold, what its inputs must
/// be and what it produces, the resolved options its cache key is made of, what it checks before a run, and how it
/// runs. ``StageType`` lists the kinds; ``Pipeline/load(contentsOf:params:)`` keeps only what is common to them all.
public protocol StageDefinition: Sendable, Hashable {
    /// The fields the type takes besides `id` and `type`.
    static var fields: [String] { get }
    /// What a stage of this type hands to the stages that read it.
    static var produces: StageProduct { get }
    /// What its inputs must produce; empty for a type that reads no stage.
    static var accepts: [StageProduct] { get }
    /// `input` (one stage) or `inputs` (a list): the field that names the stages it reads.
    static var inputField: String { get }
    /// Bumped when the implementation changes what it produces, so earlier cached outcomes are not reused.
    static var version: Int { get }

    /// Reads a stage's fields, reporting every problem (with its JSON path and the stage id) through `reader`;
    /// nil when the stage cannot be built. Everything a run could fail on in the file's values is checked here.
    init?(reading reader: ObjectReader)

    /// The ids of the stages it reads, in order.
    var inputs: [String] { get }

    /// Every option that changes the result, resolved (defaults filled in, as the media layer will use them), by
    /// name. A change of a default is a change of key.
    var cacheParameters: [String: String] { get }

    /// Problems only the machine can show, checked before any stage runs: a local file that does not exist, a
    /// remote the library does not know. Each is a message for `field` (nil: the stage as a whole).
    func problems(in environment: StageEnvironment) -> [(field: String?, message: String)]

    /// Facts outside the pipeline file that change the result, for the cache key (a local source's size and
    /// modification time).
    func outsideFacts() -> [String]

    /// The local file whose bytes the stage will output, when that is known before it runs (a fetch of a path).
    var knownFile: String? { get }

    /// Does the stage's work. `inputs` are the outcomes of ``inputs``, in order.
    func run(_ inputs: [StageOutcome], in context: StageContext) async throws -> StageOutcome
}

extension StageDefinition {
    public static var accepts: [StageProduct] { [.video] }
    public static var inputField: String { "inputs" }
    public static var version: Int { 1 }
    public func problems(in environment: StageEnvironment) -> [(field: String?, message: String)] { [] }
    public func outsideFacts() -> [String] { [] }
    public var knownFile: String? { nil }
}

/// What a stage output is, for type checks between stages.
public enum StageProduct: String, Sendable {
    case video, image, metadata
    case storedItems = "stored items"
}

/// What the machine running a pipeline offers, for the checks made before any work.
public struct StageEnvironment: Sendable {
    /// The remotes the library knows, by name.
    public var remotes: Set<String>
    /// Where the library is, for messages.
    public var libraryPath: String
    /// The local file each stage that has one before the run will output (a fetch of a path), by stage id, so a
    /// stage can check its inputs' media before any work.
    public var knownFiles: [String: String] = [:]

    public init(remotes: Set<String>, libraryPath: String) {
        self.remotes = remotes
        self.libraryPath = libraryPath
    }

    /// The environment a run on the library at `path` has: the remotes its config names (none when there is no
    /// library there yet: a run would create it without any). Creates nothing.
    public init(libraryAt path: String) throws {
        let config = Library.configPath(at: path)
        let remotes =
            FileManager.default.fileExists(atPath: config) ? try LibraryConfig.load(from: config).remotes : [:]
        self.init(remotes: Set(remotes.keys), libraryPath: path)
    }
}

/// What a running stage works with.
public struct StageContext: Sendable {
    /// The stage's id, for messages and item names.
    public var stageID: String
    /// The ids of the stages it reads, in order (for messages that name inputs).
    public var inputIDs: [String]
    /// Where outputs are kept.
    public var library: Library
    /// Keeps secret params out of what is recorded.
    public var redactor: Redactor
    /// Hears the fraction of the work done (0…1), from any thread, when the stage can tell cheaply.
    public var progress: @Sendable (Double) -> Void
}
