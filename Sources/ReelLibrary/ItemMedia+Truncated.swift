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

    /// Every summary field (`null` when unknown: one shape whatever the probe found), and `truncated`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(duration, forKey: .duration)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(displayWidth, forKey: .displayWidth)
        try container.encode(displayHeight, forKey: .displayHeight)
        try container.encode(aspectRatio, forKey: .aspectRatio)
        try container.encode(videoCodec, forKey: .videoCodec)
        try container.encode(fps, forKey: .fps)
        try container.encode(audioCodec, forKey: .audioCodec)
        try container.encode(audioRate, forKey: .audioRate)
        try container.encode(audioChannels, forKey: .audioChannels)
        var probe = encoder.container(keyedBy: ProbeKeys.self)
        try probe.encode(truncated, forKey: .truncated)
    }
}
