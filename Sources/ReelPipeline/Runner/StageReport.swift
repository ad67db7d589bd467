import Foundation

/// How a stage ended.
public enum StageStatus: String, Sendable, Codable {
    /// It ran (or was a cache hit) and produced its outputs.
    case ok
    /// It ran and threw.
    case failed
    /// It did not run because a stage it reads failed or was skipped.
    case skipped
    /// The run was cancelled before or while it ran.
    case cancelled
}

/// What happened to one stage in a run: the manifest's per-stage entry.
public struct StageReport: Sendable, Equatable {
    public var id: String
    public var type: StageType
    public var status: StageStatus
    public var cacheHit: Bool
    public var cacheKey: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Wall time in seconds, when it ran.
    public var seconds: Double?
    /// One line saying why it failed, was skipped or cancelled.
    public var error: String?
    public var warnings: [String]
    public var outputs: [StageOutput]

    init(stage: Stage, status: StageStatus, error: String? = nil) {
        id = stage.id
        type = stage.type
        self.status = status
        cacheHit = false
        warnings = []
        outputs = []
        self.error = error
    }
}

extension StageReport: Codable {
    enum CodingKeys: String, CodingKey {
        case id, type, status
        case cacheHit = "cache_hit"
        case cacheKey = "cache_key"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case seconds, error, warnings, outputs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encode(cacheHit, forKey: .cacheHit)
        try container.encode(cacheKey, forKey: .cacheKey)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(error, forKey: .error)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(outputs, forKey: .outputs)
    }
}

/// Progress of a run, as it happens.
public enum RunEvent: Sendable {
    /// A stage began work (or a cache lookup).
    case started(id: String, type: StageType)
    /// A running stage got further: `fraction` (0…1) of its work is done. Only stages that can tell cheaply
    /// (stitch) send it, at most ten times a second.
    case progress(id: String, fraction: Double)
    /// A stage ended, in any way.
    case finished(StageReport)
}
