import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// Clips of every kind users bring, by name, so a failure says which kind broke.
enum ProbeKind: String, CaseIterable, CustomTestStringConvertible {
    case h264AAC, rotated90, rotated180, rotated270, anamorphic, ntsc2997, film23976, variableFrameRate
    case videoOnly, audioOnly, mono44k, hevcMKV, hevcMP4, vp9OpusWebM, mpegTSOffset, movEditList

    var testDescription: String { rawValue }

    func path() throws -> String {
        switch self {
        case .h264AAC: try Fixtures.h264AAC()
        case .rotated90: try Fixtures.rotated(clockwise: 90)
        case .rotated180: try Fixtures.rotated(clockwise: 180)
        case .rotated270: try Fixtures.rotated(clockwise: 270)
        case .anamorphic: try Fixtures.anamorphic()
        case .ntsc2997: try Fixtures.h264AAC(rate: "30000/1001")
        case .film23976: try Fixtures.h264AAC(rate: "24000/1001")
        case .variableFrameRate: try Fixtures.variableFrameRate()
        case .videoOnly: try Fixtures.videoOnly()
        case .audioOnly: try Fixtures.audioOnly()
        case .mono44k: try Fixtures.h264AAC(sampleRate: 44100, channels: 1)
        case .hevcMKV: try Fixtures.hevcMKV()
        case .hevcMP4: try Fixtures.hevcMP4()
        case .vp9OpusWebM: try Fixtures.vp9OpusWebM()
        case .mpegTSOffset: try Fixtures.mpegTSWithOffset()
        case .movEditList: try Fixtures.movWithEditList()
        }
    }
}

/// ffprobe prints numbers as strings; nil stays nil.
private func number(_ text: String?) -> Double? { text.flatMap(Double.init) }
private func integer(_ text: String?) -> Int64? { text.flatMap { Int64($0) } }

/// Asserts that every field Reel reports agrees with ffprobe on the same file.
private func expectAgreement(_ path: String) throws {
    let oracle = try FFprobeReport.of(path)
    let info = try MediaInfo.probe(path)

    #expect(info.container == oracle.format.formatName)
    #expect(info.containerLongName == oracle.format.formatLongName)
    #expect(info.size == integer(oracle.format.size))
    #expect(info.bitRate == integer(oracle.format.bitRate))
    expectClose(info.duration, number(oracle.format.duration), "format duration")
    expectClose(info.startTime, number(oracle.format.startTime), "format start_time")
    try #require(info.streams.count == oracle.streams.count)

    for (stream, expected) in zip(info.streams, oracle.streams) {
        #expect(stream.index == expected.index)
        #expect(stream.type.rawValue == expected.codecType)
        #expect(stream.codec == expected.codecName)
        #expect(stream.codecLongName == expected.codecLongName)
        #expect(stream.profile == expected.profile)
        #expect(stream.timeBase.description == expected.timeBase)
        #expect(stream.bitRate == integer(expected.bitRate))
        #expect(stream.frameCount == integer(expected.nbFrames))
        #expect(stream.language == expected.tags?["language"])
        expectClose(stream.duration, number(expected.duration), "stream \(stream.index) duration")
        expectClose(stream.startTime, number(expected.startTime), "stream \(stream.index) start_time")
        switch stream.type {
        case .video:
            #expect(stream.width == expected.width)
            #expect(stream.height == expected.height)
            #expect(stream.codedWidth == expected.codedWidth)
            #expect(stream.codedHeight == expected.codedHeight)
            #expect(stream.sampleAspectRatio?.ratioString == expected.sampleAspectRatio)
            #expect(stream.displayAspectRatio?.ratioString == expected.displayAspectRatio)
            #expect(stream.pixelFormat == expected.pixFmt)
            #expect(stream.realFrameRate?.description == expected.rFrameRate)
            #expect(stream.averageFrameRate?.description == expected.avgFrameRate)
            // ffprobe's rotation is counter-clockwise; Reel's is the clockwise turn for display.
            #expect(stream.rotation == (360 - expected.rotation) % 360)
            let (width, height) = try displaySize(expected)
            #expect(stream.displayWidth == width)
            #expect(stream.displayHeight == height)
        case .audio:
            #expect(stream.sampleRate == integer(expected.sampleRate).map(Int.init))
            #expect(stream.channels == expected.channels)
            #expect(stream.channelLayout == expected.channelLayout)
            #expect(stream.sampleFormat == expected.sampleFmt)
        default:
            break
        }
    }
}

/// What a viewer sees, from ffprobe's numbers: the width stretched by the sample aspect ratio, then turned.
private func displaySize(_ stream: FFprobeReport.Stream) throws -> (Int, Int) {
    let width = try #require(stream.width)
    let height = try #require(stream.height)
    var shownWidth = width
    if let sar = stream.sampleAspectRatio?.split(separator: ":"), sar.count == 2,
        let num = Double(sar[0]), let den = Double(sar[1]), num > 0, den > 0
    {
        shownWidth = Int((Double(width) * num / den).rounded())
    }
    return abs(stream.rotation) % 180 == 90 ? (height, shownWidth) : (shownWidth, height)
}

private func expectClose(_ actual: Double?, _ expected: Double?, _ what: String) {
    switch (actual, expected) {
    case (nil, nil): break
    case (let actual?, let expected?): #expect(abs(actual - expected) <= 0.001, "\(what): \(actual) vs \(expected)")
    default: Issue.record("\(what): reel says \(String(describing: actual)), ffprobe \(String(describing: expected))")
    }
}

@Suite("probe agrees with ffprobe")
struct ProbeAgreementTests {
    @Test("on every kind of clip users bring", arguments: ProbeKind.allCases)
    func agreesOnKind(_ kind: ProbeKind) throws {
        try expectAgreement(try kind.path())
    }

    @Test("on every committed sample")
    func agreesOnSamples() throws {
        let samples = try Fixtures.samples()
        #expect(samples.count >= 5)
        for sample in samples { try expectAgreement(sample) }
    }
}

@Suite("probe reads what matters")
struct ProbeFactsTests {
    @Test("a phone clip tagged for a 90° turn is shown portrait")
    func rotatedIsPortrait() throws {
        let video = try #require(try MediaInfo.probe(try Fixtures.rotated(clockwise: 90)).video)
        #expect(video.rotation == 90)
        #expect(video.width == 320 && video.height == 180)
        #expect(video.displayWidth == 180 && video.displayHeight == 320)
    }

    @Test("anamorphic 720x576 at 64:45 is shown as 1024x576, 16:9")
    func anamorphicDisplaySize() throws {
        let video = try #require(try MediaInfo.probe(try Fixtures.anamorphic()).video)
        #expect(video.sampleAspectRatio == Rational(64, 45))
        #expect(video.displayAspectRatio == Rational(16, 9))
        #expect(video.displayWidth == 1024 && video.displayHeight == 576)
    }

    @Test("MPEG-TS start offsets are reported, not hidden")
    func transportStreamStart() throws {
        let info = try MediaInfo.probe(try Fixtures.mpegTSWithOffset())
        let start = try #require(info.startTime)
        #expect(start > 10 && start < 12)
    }

    @Test("29.97 fps is the exact fraction 30000/1001")
    func ntscRate() throws {
        let video = try #require(try MediaInfo.probe(try Fixtures.h264AAC(rate: "30000/1001")).video)
        #expect(video.averageFrameRate == Rational(30000, 1001))
        #expect(abs((video.fps ?? 0) - 29.97) < 0.001)
    }

    @Test("JSON keeps every key, snake_case, with null where a field does not apply")
    func jsonShape() throws {
        let info = try MediaInfo.probe(try Fixtures.h264AAC())
        let data = try JSONEncoder().encode(info)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["path", "container", "container_long_name", "duration", "size", "bit_rate", "start_time"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let streams = try #require(object["streams"] as? [[String: Any]])
        let video = try #require(streams.first { $0["type"] as? String == "video" })
        for key in [
            "index", "codec", "profile", "width", "height", "coded_width", "coded_height", "sample_aspect_ratio",
            "display_aspect_ratio", "pix_fmt", "r_frame_rate", "avg_frame_rate", "fps", "time_base", "nb_frames",
            "bit_rate", "rotation", "display_width", "display_height", "sample_rate", "channels", "channel_layout",
            "sample_fmt", "language",
        ] {
            #expect(video.keys.contains(key), "missing \(key)")
        }
        #expect(video["sample_rate"] is NSNull)
        #expect(video["r_frame_rate"] as? String == "30/1")
        let decoded = try JSONDecoder().decode(MediaInfo.self, from: data)
        #expect(decoded == info)
    }
}
