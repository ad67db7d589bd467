import ReelAV

/// `reel stitch --json`: `{output: {path, sha256, duration, …probe fields}, mode, reason, inputs: [{path, offset,
/// duration}]}`.
struct StitchReport: Encodable {
    var result: StitchResult
    var info: MediaInfo
    var sha256: String

    enum CodingKeys: String, CodingKey {
        case output, mode, reason, inputs
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(OutputSection(info: info, sha256: sha256), forKey: .output)
        try container.encode(result.mode, forKey: .mode)
        try container.encode(result.reason, forKey: .reason)
        try container.encode(result.inputs, forKey: .inputs)
    }

    /// The probe fields with `sha256` added beside them.
    struct OutputSection: Encodable {
        var info: MediaInfo
        var sha256: String

        enum CodingKeys: String, CodingKey { case sha256 }

        func encode(to encoder: any Encoder) throws {
            try info.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sha256, forKey: .sha256)
        }
    }
}
