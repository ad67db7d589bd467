import ReelAV

/// `reel stitch --json`: `{output: {path, sha256, duration, …probe fields}, mode, reason, inputs: [{path, offset,
/// duration}], loudness: [{input, integrated_lufs, true_peak_dbtp, gain_db, limited_by_peak}]}`.
struct StitchReport: Encodable {
    var result: StitchResult
    var info: MediaInfo
    var sha256: String

    enum CodingKeys: String, CodingKey {
        case output, mode, reason, inputs, loudness
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // The probe fields with `sha256` beside them.
        try container.encode(Annotated(base: info, key: "sha256", value: sha256), forKey: .output)
        try container.encode(result.mode, forKey: .mode)
        try container.encode(result.reason, forKey: .reason)
        try container.encode(result.inputs, forKey: .inputs)
        try container.encode(result.loudness, forKey: .loudness)
    }
}

/// `reel stitch --dry-run --json`: `{mode, reason, duration, inputs: [{path, from, to, offset, duration}]}`.
struct StitchPlanReport: Encodable {
    var plan: StitchPlan

    enum CodingKeys: String, CodingKey {
        case mode, reason, duration, inputs, overlay
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan.mode, forKey: .mode)
        try container.encode(plan.reason, forKey: .reason)
        try container.encode(plan.duration, forKey: .duration)
        try container.encode(plan.inputs, forKey: .inputs)
        try container.encode(plan.overlay, forKey: .overlay)
    }
}
