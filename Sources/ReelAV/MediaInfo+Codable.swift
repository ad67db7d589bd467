/// JSON with stable snake_case keys: every key is always present, `null` when it does not apply,
/// so scripts can rely on the shape. Rates and time bases are written `"30000/1001"`, aspect ratios `"16:9"`.
extension MediaInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case path, container
        case containerLongName = "container_long_name"
        case duration, size
        case bitRate = "bit_rate"
        case startTime = "start_time"
        case streams, tags, truncated
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(self.container, forKey: .container)
        try container.encode(containerLongName, forKey: .containerLongName)
        try container.encode(duration, forKey: .duration)
        try container.encode(size, forKey: .size)
        try container.encode(bitRate, forKey: .bitRate)
        try container.encode(startTime, forKey: .startTime)
        try container.encode(streams, forKey: .streams)
        try container.encode(tags, forKey: .tags)
        try container.encode(truncated, forKey: .truncated)
    }
}

extension StreamInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case index, type, codec
        case codecLongName = "codec_long_name"
        case profile, width, height
        case codedWidth = "coded_width"
        case codedHeight = "coded_height"
        case sampleAspectRatio = "sample_aspect_ratio"
        case displayAspectRatio = "display_aspect_ratio"
        case pixelFormat = "pix_fmt"
        case realFrameRate = "r_frame_rate"
        case averageFrameRate = "avg_frame_rate"
        case fps
        case timeBase = "time_base"
        case startTime = "start_time"
        case duration
        case frameCount = "nb_frames"
        case bitRate = "bit_rate"
        case rotation
        case displayWidth = "display_width"
        case displayHeight = "display_height"
        case sampleRate = "sample_rate"
        case channels
        case channelLayout = "channel_layout"
        case sampleFormat = "sample_fmt"
        case language, tags
    }

    public init(from decoder: any Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        type = try c.decode(MediaType.self, forKey: .type)
        codec = try c.decode(String.self, forKey: .codec)
        codecLongName = try c.decodeIfPresent(String.self, forKey: .codecLongName)
        profile = try c.decodeIfPresent(String.self, forKey: .profile)
        timeBase = try c.decode(Rational.self, forKey: .timeBase)
        startTime = try c.decodeIfPresent(Double.self, forKey: .startTime)
        duration = try c.decodeIfPresent(Double.self, forKey: .duration)
        frameCount = try c.decodeIfPresent(Int64.self, forKey: .frameCount)
        bitRate = try c.decodeIfPresent(Int64.self, forKey: .bitRate)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        tags = try c.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
        width = try c.decodeIfPresent(Int.self, forKey: .width)
        height = try c.decodeIfPresent(Int.self, forKey: .height)
        codedWidth = try c.decodeIfPresent(Int.self, forKey: .codedWidth)
        codedHeight = try c.decodeIfPresent(Int.self, forKey: .codedHeight)
        sampleAspectRatio = try c.decodeIfPresent(Rational.self, forKey: .sampleAspectRatio)
        displayAspectRatio = try c.decodeIfPresent(Rational.self, forKey: .displayAspectRatio)
        pixelFormat = try c.decodeIfPresent(String.self, forKey: .pixelFormat)
        realFrameRate = try c.decodeIfPresent(Rational.self, forKey: .realFrameRate)
        averageFrameRate = try c.decodeIfPresent(Rational.self, forKey: .averageFrameRate)
        rotation = try c.decodeIfPresent(Int.self, forKey: .rotation) ?? 0
        displayWidth = try c.decodeIfPresent(Int.self, forKey: .displayWidth)
        displayHeight = try c.decodeIfPresent(Int.self, forKey: .displayHeight)
        sampleRate = try c.decodeIfPresent(Int.self, forKey: .sampleRate)
        channels = try c.decodeIfPresent(Int.self, forKey: .channels)
        channelLayout = try c.decodeIfPresent(String.self, forKey: .channelLayout)
        sampleFormat = try c.decodeIfPresent(String.self, forKey: .sampleFormat)
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(type, forKey: .type)
        try c.encode(codec, forKey: .codec)
        try c.encode(codecLongName, forKey: .codecLongName)
        try c.encode(profile, forKey: .profile)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(codedWidth, forKey: .codedWidth)
        try c.encode(codedHeight, forKey: .codedHeight)
        try c.encode(sampleAspectRatio?.ratioString, forKey: .sampleAspectRatio)
        try c.encode(displayAspectRatio?.ratioString, forKey: .displayAspectRatio)
        try c.encode(pixelFormat, forKey: .pixelFormat)
        try c.encode(realFrameRate, forKey: .realFrameRate)
        try c.encode(averageFrameRate, forKey: .averageFrameRate)
        try c.encode(fps, forKey: .fps)
        try c.encode(timeBase, forKey: .timeBase)
        try c.encode(startTime, forKey: .startTime)
        try c.encode(duration, forKey: .duration)
        try c.encode(frameCount, forKey: .frameCount)
        try c.encode(bitRate, forKey: .bitRate)
        try c.encode(type == .video ? rotation : nil, forKey: .rotation)
        try c.encode(displayWidth, forKey: .displayWidth)
        try c.encode(displayHeight, forKey: .displayHeight)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(channels, forKey: .channels)
        try c.encode(channelLayout, forKey: .channelLayout)
        try c.encode(sampleFormat, forKey: .sampleFormat)
        try c.encode(language, forKey: .language)
        try c.encode(tags, forKey: .tags)
    }
}

extension MediaInfo {
    public init(from decoder: any Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try c.decode(String.self, forKey: .path),
            container: try c.decode(String.self, forKey: .container),
            containerLongName: try c.decode(String.self, forKey: .containerLongName),
            duration: try c.decodeIfPresent(Double.self, forKey: .duration),
            size: try c.decode(Int64.self, forKey: .size),
            bitRate: try c.decodeIfPresent(Int64.self, forKey: .bitRate),
            startTime: try c.decodeIfPresent(Double.self, forKey: .startTime),
            streams: try c.decode([StreamInfo].self, forKey: .streams),
            tags: try c.decodeIfPresent([String: String].self, forKey: .tags) ?? [:],
            truncated: try c.decodeIfPresent(Bool.self, forKey: .truncated) ?? false)
    }
}
