import Foundation
import ReelAV

/// A pipeline file, parsed and validated: what to run, in which order it may run, and what to expect.
public struct Pipeline: Sendable, Equatable {
    /// Format version; only 1 exists.
    public var version: Int
    /// The pipeline's name, used in run records.
    public var name: String
    /// Parameter values after `--param` overrides (what `${name}` expands to).
    public var params: [String: String]
    /// Stages in file order.
    public var stages: [Stage]
    /// Checks to run after the stages, by stage id.
    public var expectations: [Expectation]

    /// The stage with `id`, if any.
    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }
}

/// One stage of a pipeline.
public struct Stage: Sendable, Equatable {
    /// Unique within the pipeline; other stages refer to it by this.
    public var id: String
    /// What the stage does, with its parameters.
    public var action: StageAction

    /// The ids of the stages whose outputs this one reads, in order.
    public var inputs: [String] {
        switch action {
        case .fetch: []
        case .probe(let input), .thumbnail(let input, _): [input]
        case .stitch(let inputs, _), .store(let inputs, _): inputs
        }
    }

    /// The stage type's name as written in pipeline files.
    public var type: StageType { action.type }
}

/// The five kinds of stage.
public enum StageType: String, Sendable, CaseIterable, Codable {
    case fetch, probe, stitch, thumbnail, store

    /// What the stage produces for the stages after it.
    public var produces: Product {
        switch self {
        case .fetch, .stitch: .video
        case .thumbnail: .image
        case .probe: .metadata
        case .store: .storedItems
        }
    }

    /// What a stage output is, for type checks between stages.
    public enum Product: String, Sendable {
        case video, image, metadata
        case storedItems = "stored items"
    }
}

/// A stage's type and parameters.
public enum StageAction: Sendable, Equatable {
    case fetch(FetchParameters)
    case probe(input: String)
    case stitch(inputs: [String], StitchParameters)
    case thumbnail(input: String, ThumbnailParameters)
    case store(inputs: [String], StoreParameters)

    public var type: StageType {
        switch self {
        case .fetch: .fetch
        case .probe: .probe
        case .stitch: .stitch
        case .thumbnail: .thumbnail
        case .store: .store
        }
    }
}

/// Where a fetch gets its bytes and what lineage it records.
public struct FetchParameters: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case url(String)
        case path(String)

        /// The URL or path as written.
        public var text: String {
            switch self {
            case .url(let url): url
            case .path(let path): path
            }
        }
    }
    public enum SourceType: String, Sendable, Equatable, CaseIterable {
        case generated, uploaded
    }
    public var source: Source
    public var sourceType: SourceType
    public var name: String?
    public var generation: Generation?
    /// Largest body accepted, in bytes.
    public var maxSize: Int64?
    /// The longest the download may take (nil: ``DownloadRequest/defaultTimeout``).
    public var timeout: Duration?
}

/// How an AI provider made a clip.
public struct Generation: Sendable, Equatable {
    public var provider: String?
    public var model: String?
    public var prompt: String?
    public var jobID: String?
    public var params: [String: String]
}

/// How to join clips.
public struct StitchParameters: Sendable, Equatable {
    public var mode: StitchMode = .auto
    public var size: FrameSize?
    public var fps: Double?
    public var fit: FitMode = .pad
    public var preset: String?
    public var crf: Int?
    public var audioRate: Int?
    public var audioChannels: Int?
    /// The largest input frame accepted (`video.max_pixels`).
    public var pixelLimit: PixelLimit = .standard
}

/// A frame size, `1280x720`.
public struct FrameSize: Sendable, Equatable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public var description: String { "\(width)x\(height)" }

    /// Parses `WxH` with positive whole numbers.
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else {
            return nil
        }
        self.width = width
        self.height = height
    }
}

/// Which frame(s) a thumbnail stage takes.
public struct ThumbnailParameters: Sendable, Equatable {
    /// A single frame at a time, or a sprite sheet.
    public enum Shape: Sendable, Equatable {
        case frame(at: ThumbnailTime)
        case sprite(every: Double, columns: Int, rows: Int?)
    }
    public var shape: Shape
    public var width: Int?
    public var height: Int?
    public var quality: Int?
    public var format: String
    /// The largest video frame decoded (`max_pixels`).
    public var pixelLimit: PixelLimit = .standard
}

/// Where store puts its inputs.
public struct StoreParameters: Sendable, Equatable {
    /// A remote named in the library's config, or nil for the local library only.
    public var remote: String?
    /// Key template for the remote (`campaigns/${campaign}/videos/${id}.${ext}`).
    public var key: String?
}

/// A check on one stage's output, run after the pipeline.
public struct Expectation: Sendable, Equatable {
    public var stage: String
    public var duration: ClosedRange<Double>?
    public var videoSize: FrameSize?
    public var videoCodec: String?
    public var fps: Double?
    public var hasAudio: Bool?
    public var audioRate: Int?
    public var audioChannels: Int?
    public var frames: Int?
    public var sha256: String?
    /// A per-frame checksum file written by `reel verify --write-checksums`.
    public var checksums: String?
}
