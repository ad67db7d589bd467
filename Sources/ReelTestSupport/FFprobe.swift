import Foundation

/// The ffprobe oracle: `ffprobe -show_format -show_streams -of json`, parsed.
public struct FFprobeReport: Decodable, Sendable {
    public struct Format: Decodable, Sendable {
        public var filename: String
        public var formatName: String
        public var formatLongName: String?
        public var startTime: String?
        public var duration: String?
        public var size: String?
        public var bitRate: String?
    }

    public struct SideData: Decodable, Sendable {
        public var sideDataType: String?
        public var rotation: Int?
    }

    public struct Stream: Decodable, Sendable {
        public var index: Int
        public var codecName: String?
        public var codecLongName: String?
        public var profile: String?
        public var codecType: String
        public var width: Int?
        public var height: Int?
        public var codedWidth: Int?
        public var codedHeight: Int?
        public var sampleAspectRatio: String?
        public var displayAspectRatio: String?
        public var pixFmt: String?
        public var rFrameRate: String?
        public var avgFrameRate: String?
        public var timeBase: String?
        public var startTime: String?
        public var duration: String?
        public var bitRate: String?
        public var nbFrames: String?
        public var sampleFmt: String?
        public var sampleRate: String?
        public var channels: Int?
        public var channelLayout: String?
        public var tags: [String: String]?
        public var sideDataList: [SideData]?

        /// Display-matrix rotation as ffprobe prints it (counter-clockwise degrees), 0 when absent.
        public var rotation: Int { sideDataList?.compactMap(\.rotation).first ?? 0 }
    }

    public var format: Format
    public var streams: [Stream]

    /// Runs ffprobe on `path`.
    public static func of(_ path: String) throws -> FFprobeReport {
        let result = try Shell.run(
            "ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", path])
        guard result.status == 0 else { throw ToolFailure(tool: "ffprobe", arguments: [path], stderr: result.stderr) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(FFprobeReport.self, from: result.stdoutData)
    }
}

/// ffmpeg's `framemd5` of a file's decoded frames: one MD5 per frame, per stream, in output order.
public enum FrameMD5 {
    public struct Line: Sendable, Equatable {
        public var stream: Int
        public var pts: Int64
        public var md5: String
    }

    /// The framemd5 lines of `path`, with `extraArguments` placed before the output (e.g. `-map 0:v`).
    public static func of(_ path: String, _ extraArguments: [String] = []) throws -> [Line] {
        let result = try Shell.run(
            "ffmpeg", ["-nostdin", "-v", "error", "-i", path] + extraArguments + ["-f", "framemd5", "-"])
        guard result.status == 0 else {
            throw ToolFailure(tool: "ffmpeg framemd5", arguments: [path], stderr: result.stderr)
        }
        return result.stdout.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 6, let stream = Int(fields[0]), let pts = Int64(fields[2]) else { return nil }
            return Line(stream: stream, pts: pts, md5: fields[5])
        }
    }
}
