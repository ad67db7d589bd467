import Foundation

/// The kinds of clip users bring, each made from ffmpeg's test sources.
extension Fixtures {
    /// libx264 options for fixtures: fastest preset, 4:2:0.
    public static let quietX264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]

    /// H.264 + AAC in MP4 with B-frames and a keyframe every `gop` frames.
    public static func h264AAC(
        seconds: Double = 2, size: String = "320x240", rate: String = "30", sampleRate: Int = 48000,
        channels: Int = 2, gop: Int = 30
    ) throws -> String {
        try make(
            "h264-aac-\(size)-\(rate.replacingOccurrences(of: "/", with: "_"))", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate):duration=\(seconds)",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(sampleRate):duration=\(seconds)",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "\(gop)", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ac", "\(channels)", "-shortest",
            ])
    }

    /// A clip whose display matrix asks for a `clockwise` turn (90, 180 or 270), like a phone held upright.
    /// ffmpeg 5.1 writes the matrix only on stream copy, and its `rotate` tag is counter-clockwise.
    public static func rotated(clockwise: Int) throws -> String {
        let source = try h264AAC(size: "320x180")
        return try derive(
            "rotated-\(clockwise)", ext: "mp4", from: source,
            ["-c", "copy", "-metadata:s:v:0", "rotate=\((360 - clockwise) % 360)"])
    }

    /// PAL-style anamorphic: 720x576 stored, sample aspect ratio 64:45 (shown as 16:9).
    public static func anamorphic() throws -> String {
        try make(
            "anamorphic-720x576", ext: "mp4",
            ["-f", "lavfi", "-i", "testsrc=size=720x576:rate=25:duration=1", "-vf", "setsar=64/45"] + quietX264)
    }

    /// Variable frame rate: 30 fps for a second, then every third frame dropped-in gaps (like a phone clip).
    public static func variableFrameRate() throws -> String {
        try make(
            "vfr", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=3",
                "-vf", "select='lt(n\\,30)+not(mod(n\\,3))'", "-fps_mode", "vfr",
            ] + quietX264)
    }

    /// Video only, no audio track at all (typical of AI-generated clips).
    public static func videoOnly(size: String = "256x256", rate: String = "24") throws -> String {
        try make(
            "video-only-\(size)-\(rate)", ext: "mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate):duration=2"] + quietX264)
    }

    /// Audio only: AAC in an M4A.
    public static func audioOnly() throws -> String {
        try make("audio-only", ext: "m4a", ["-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-c:a", "aac"])
    }

    /// HEVC (libx265) + AAC in Matroska.
    public static func hevcMKV() throws -> String {
        try make(
            "hevc", ext: "mkv",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1",
                "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libx265", "-preset", "ultrafast",
                "-x265-params", "log-level=error", "-pix_fmt", "yuv420p", "-c:a", "aac",
            ])
    }

    /// HEVC in MP4 (tagged hvc1, as phones write it).
    public static func hevcMP4() throws -> String {
        try make(
            "hevc", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=1", "-c:v", "libx265",
                "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-pix_fmt", "yuv420p",
            ])
    }

    /// VP9 + Opus in WebM (Opus starts at a negative timestamp: pre-skip).
    public static func vp9OpusWebM() throws -> String {
        try make(
            "vp9-opus", ext: "webm",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=1",
                "-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1",
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-c:a", "libopus",
            ])
    }

    /// MPEG-TS whose timestamps start at about 10 s (as broadcast captures do).
    public static func mpegTSWithOffset() throws -> String {
        try make(
            "ts-offset", ext: "ts",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
                "-f", "lavfi", "-i", "sine=duration=2",
            ] + quietX264 + ["-c:a", "aac", "-output_ts_offset", "10"])
    }

    /// A MOV trimmed by stream copy mid-GOP: earlier frames are in the file, hidden by an edit list.
    public static func movWithEditList() throws -> String {
        let source = try make(
            "gop-source", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=4",
                "-f", "lavfi", "-i", "sine=duration=4",
            ] + quietX264 + ["-g", "50", "-c:a", "aac"])
        return try make("editlist", ext: "mov", ["-ss", "1.3", "-i", source, "-t", "2", "-c", "copy"])
    }

    /// An MP4 with the index at the end, cut at 60 % of its bytes.
    public static func truncatedMP4() throws -> String {
        let whole = try h264AAC(seconds: 2, size: "320x240")
        let target = directory.appendingPathComponent("truncated-60.mp4")
        if !FileManager.default.fileExists(atPath: target.path) {
            let data = try Data(contentsOf: URL(fileURLWithPath: whole))
            try data.prefix(data.count * 6 / 10).write(to: target, options: .atomic)
        }
        return target.path
    }
}
