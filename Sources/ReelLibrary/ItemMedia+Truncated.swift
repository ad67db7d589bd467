import Foundation

extension ItemMedia {
    /// Whether the probe found the file cut short (it ends before the data its index describes): read from the
    /// probe kept with the item, where the import recorded it.
    public var truncated: Bool {
        guard let probeJSON,
            let probe = try? JSONSerialization.jsonObject(with: Data(probeJSON.utf8)) as? [String: Any]
        else { return false }
        return probe["truncated"] as? Bool ?? false
    }

    private enum ProbeKeys: String, CodingKey {
        case truncated
    }

    /// The summary fields (absent when unknown), and `truncated` always.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(duration, forKey: .duration)
        try container.encodeIfPresent(width, forKey: .width)
        try container.encodeIfPresent(height, forKey: .height)
        try container.encodeIfPresent(displayWidth, forKey: .displayWidth)
        try container.encodeIfPresent(displayHeight, forKey: .displayHeight)
        try container.encodeIfPresent(aspectRatio, forKey: .aspectRatio)
        try container.encodeIfPresent(videoCodec, forKey: .videoCodec)
        try container.encodeIfPresent(fps, forKey: .fps)
        try container.encodeIfPresent(audioCodec, forKey: .audioCodec)
        try container.encodeIfPresent(audioRate, forKey: .audioRate)
        try container.encodeIfPresent(audioChannels, forKey: .audioChannels)
        var probe = encoder.container(keyedBy: ProbeKeys.self)
        try probe.encode(truncated, forKey: .truncated)
    }
}
