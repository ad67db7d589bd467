import Foundation

/// Clips for thumbnail and sprite tests.
extension Fixtures {
    /// Frames per second of ``greyLevels()``.
    public static let greyLevelsRate = 20.0

    /// 3 s at 20 fps, 160x120, where frame `n` is flat grey with luma `16 + 3n` (every frame tells its own
    /// index). Lossless H.264 with B-frames and a keyframe exactly every 20 frames (1 s).
    public static func greyLevels() throws -> String {
        try make(
            "grey-levels", ext: "mp4",
            [
                "-f", "lavfi", "-i", "color=c=black:s=160x120:r=20:d=3", "-vf", "geq=lum='16+3*N':cb=128:cr=128",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-bf", "2", "-pix_fmt", "yuv420p",
                "-x264-params", "keyint=20:min-keyint=20:scenecut=0:bframes=2",
            ])
    }

    /// ``greyLevels()`` remuxed into MPEG-TS starting at about 10 s.
    public static func greyLevelsTS() throws -> String {
        try derive("grey-levels-ts", ext: "ts", from: try greyLevels(), ["-c", "copy", "-output_ts_offset", "10"])
    }

    /// ``greyLevels()`` trimmed by stream copy from 1.3 s for 1 s into a MOV: frames 20–25 (from the keyframe at
    /// 1 s) stay in the file, hidden by an edit list, so the clip shows frame 26 first.
    public static func greyLevelsEditList() throws -> String {
        try make("grey-levels-editlist", ext: "mov", ["-ss", "1.3", "-i", try greyLevels(), "-t", "1", "-c", "copy"])
    }

    /// 7.5 s at 25 fps, 320x240: 1.5 s black, 1.5 s test pattern, 3 s flat red, 1.5 s test pattern.
    public static func blackLeadIn() throws -> String {
        try make(
            "black-lead-in", ext: "mp4",
            [
                "-f", "lavfi", "-i",
                "color=c=black:s=320x240:r=25:d=1.5[a];testsrc2=s=320x240:r=25:d=1.5[b];"
                    + "color=c=red:s=320x240:r=25:d=3[c];testsrc2=s=320x240:r=25:d=1.5[d];"
                    + "[a][b][c][d]concat=n=4:v=1:a=0[out0]",
            ] + quietX264 + ["-g", "25"])
    }

    /// A test pattern at an odd size: VP9 4:2:0 (`.webm`) or H.264 4:4:4 (`.mp4`).
    public static func oddSized(vp9: Bool) throws -> String {
        let codec =
            vp9
            ? ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p"]
            : ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"]
        return try make(
            vp9 ? "odd-vp9" : "odd-x264-444", ext: vp9 ? "webm" : "mp4",
            ["-f", "lavfi", "-i", "testsrc=size=161x121:rate=10:duration=1"] + codec)
    }

    /// A 320x240 test pattern in H.264 with pixel format `pixelFormat` (`yuv420p10le`, `yuv422p`, `yuvj420p`…).
    public static func h264(pixelFormat: String) throws -> String {
        try make(
            "h264-\(pixelFormat)", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1", "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", pixelFormat,
            ])
    }

    /// 4 s of moving test pattern, 320x240 at 25 fps, a keyframe every 2 s and B-frames (three in a row, some of
    /// them not referred to by any other frame): H.264 (`hevc` false) or HEVC.
    public static func movingBFrames(hevc: Bool) throws -> String {
        let codec =
            hevc
            ? [
                "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1", "-x265-params",
                "log-level=error:keyint=50:min-keyint=50:scenecut=0:bframes=3",
            ]
            : [
                "-c:v", "libx264", "-preset", "veryfast", "-x264-params",
                "keyint=50:min-keyint=50:scenecut=0:bframes=3:b-pyramid=normal",
            ]
        return try make(
            hevc ? "moving-bframes-hevc" : "moving-bframes-h264", ext: "mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4", "-pix_fmt", "yuv420p"] + codec)
    }

    /// A 10 s clip, 320x240 at 30 fps, keyframe every second, for sprite sheets.
    public static func tenSeconds() throws -> String {
        try h264AAC(seconds: 10, size: "320x240", rate: "30", gop: 30)
    }
}

/// Decoded pictures for checking thumbnails: ffmpeg turns any image or video frame into raw RGB24.
public struct RGBPicture: Sendable {
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// The first picture of `path`, decoded by ffmpeg (the oracle, independent of Reel's code).
    public static func decode(_ path: String) throws -> RGBPicture {
        let probe = try Shell.run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of",
                "csv=p=0:s=x", path,
            ])
        let parts = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else {
            throw ToolFailure(tool: "ffprobe", arguments: [path], stderr: probe.stderr)
        }
        let raw = try Shell.run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-",
            ])
        guard raw.status == 0 else { throw ToolFailure(tool: "ffmpeg", arguments: [path], stderr: raw.stderr) }
        return RGBPicture(width: width, height: height, bytes: [UInt8](raw.stdoutData))
    }

    /// Average of every byte.
    public var mean: Double { Double(bytes.reduce(0) { $0 + Int($1) }) / Double(max(1, bytes.count)) }

    /// Standard deviation of the luma of every pixel.
    public var lumaDeviation: Double {
        let luma = stride(from: 0, to: bytes.count - 2, by: 3).map {
            0.299 * Double(bytes[$0]) + 0.587 * Double(bytes[$0 + 1]) + 0.114 * Double(bytes[$0 + 2])
        }
        let mean = luma.reduce(0, +) / Double(max(1, luma.count))
        return (luma.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, luma.count))).squareRoot()
    }

    /// Mean absolute difference per byte from `other` (same size), or infinity when the sizes differ.
    public func difference(from other: RGBPicture) -> Double {
        guard width == other.width, height == other.height, bytes.count == other.bytes.count else { return .infinity }
        let total = zip(bytes, other.bytes).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(max(1, bytes.count))
    }
}

extension Fixtures {
    /// An MP4 with the index at the front (faststart), cut at 60 % of its bytes: it opens as a full-length clip
    /// and fails only where the data stops.
    public static func truncatedFaststartMP4() throws -> String {
        let whole = try make(
            "faststart-2s", ext: "mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"] + quietX264 + [
                "-g", "10", "-movflags", "+faststart",
            ])
        let target = directory.appendingPathComponent("truncated-faststart-60.mp4")
        if !FileManager.default.fileExists(atPath: target.path) {
            let data = try Data(contentsOf: URL(fileURLWithPath: whole))
            try data.prefix(data.count * 6 / 10).write(to: target, options: .atomic)
        }
        return target.path
    }

    /// A file named `.mp4` holding bytes that are not media.
    public static func garbageMP4() throws -> String {
        let target = directory.appendingPathComponent("garbage.mp4")
        if !FileManager.default.fileExists(atPath: target.path) {
            let bytes = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
            try Data(bytes).write(to: target, options: .atomic)
        }
        return target.path
    }
}
