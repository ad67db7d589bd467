import CFFmpeg

extension MediaInfo {
    /// Opens `path` and describes it, in-process, the way ffprobe would.
    public static func probe(_ path: String) throws(AVError) -> MediaInfo {
        try InputFile(path: path).info
    }
}

extension InputFile {
    /// A description of the file and its streams.
    public var info: MediaInfo {
        let format = pointer.pointee
        let size = format.pb.map { avio_size($0) } ?? -1
        return MediaInfo(
            path: path,
            container: formatName,
            containerLongName: format.iformat.pointee.long_name.map { String(cString: $0) } ?? formatName,
            duration: duration,
            size: size >= 0 ? size : 0,
            bitRate: format.bit_rate > 0 ? format.bit_rate : nil,
            startTime: startTime,
            streams: streams.map(\.info),
            tags: dictionary(format.metadata),
            truncated: isTruncated)
    }
}

extension MediaStream {
    /// A description of the stream.
    public var info: StreamInfo {
        let stream = pointer.pointee
        let parameters = stream.codecpar.pointee
        let descriptor = avcodec_descriptor_get(parameters.codec_id)
        let tags = dictionary(stream.metadata)
        var info = StreamInfo(
            index: Int(stream.index),
            type: type,
            codec: descriptor.map { String(cString: $0.pointee.name) } ?? "unknown",
            codecLongName: descriptor.flatMap { $0.pointee.long_name.map { String(cString: $0) } },
            profile: avcodec_profile_name(parameters.codec_id, parameters.profile).map { String(cString: $0) },
            timeBase: Rational(stream.time_base),
            startTime: seconds(stream.start_time, stream.time_base),
            duration: seconds(stream.duration, stream.time_base),
            frameCount: stream.nb_frames > 0 ? stream.nb_frames : nil,
            bitRate: parameters.bit_rate > 0 ? parameters.bit_rate : nil,
            language: tags["language"],
            tags: tags,
            rotation: 0)
        switch type {
        case .video: describeVideo(into: &info)
        case .audio: describeAudio(into: &info)
        default: break
        }
        return info
    }

    private func describeVideo(into info: inout StreamInfo) {
        let stream = pointer.pointee
        let parameters = stream.codecpar.pointee
        let width = Int(parameters.width)
        let height = Int(parameters.height)
        info.width = width
        info.height = height
        info.codedWidth = width
        info.codedHeight = height
        info.pixelFormat = av_get_pix_fmt_name(AVPixelFormat(parameters.format)).map { String(cString: $0) }
        info.realFrameRate = Rational(stream.r_frame_rate)
        info.averageFrameRate = Rational(stream.avg_frame_rate)

        let sar = Rational(av_guess_sample_aspect_ratio(file.pointer, pointer, nil))
        if !sar.isUnknown {
            info.sampleAspectRatio = sar
            var num: Int32 = 0
            var den: Int32 = 0
            av_reduce(
                &num, &den, Int64(width) * Int64(sar.numerator), Int64(height) * Int64(sar.denominator), 1024 * 1024)
            info.displayAspectRatio = Rational(num, den)
        }

        var found: Int32 = 0
        let counterClockwise = reel_stream_display_rotation(pointer, &found)
        if found != 0, counterClockwise.isFinite {
            let clockwise = Int((-counterClockwise / 90).rounded()) * 90
            info.rotation = ((clockwise % 360) + 360) % 360
        }

        let squareWidth =
            sar.isUnknown || sar == Rational(1, 1) ? width : Int((Double(width) * (sar.value ?? 1)).rounded())
        let turned = info.rotation == 90 || info.rotation == 270
        info.displayWidth = turned ? height : squareWidth
        info.displayHeight = turned ? squareWidth : height
    }

    private func describeAudio(into info: inout StreamInfo) {
        let parameters = pointer.pointee.codecpar.pointee
        info.sampleRate = Int(parameters.sample_rate)
        info.channels = Int(parameters.ch_layout.nb_channels)
        if parameters.ch_layout.order != AV_CHANNEL_ORDER_UNSPEC {
            var buffer = [CChar](repeating: 0, count: 128)
            var layout = parameters.ch_layout
            if av_channel_layout_describe(&layout, &buffer, buffer.count) >= 0 {
                info.channelLayout = String(
                    decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        info.sampleFormat = av_get_sample_fmt_name(AVSampleFormat(parameters.format)).map { String(cString: $0) }
    }
}

/// The entries of an `AVDictionary`.
func dictionary(_ dictionary: OpaquePointer?) -> [String: String] {
    var result: [String: String] = [:]
    var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
    while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
        result[String(cString: next.pointee.key)] = String(cString: next.pointee.value)
        entry = next
    }
    return result
}
