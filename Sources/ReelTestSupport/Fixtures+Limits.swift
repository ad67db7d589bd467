import Foundation

/// Clips that try a reader's limits: pictures far larger than their files, streams that change size, and copies
/// cut short.
extension Fixtures {
    /// One 10000x10000 frame of flat colour in an H.264 MP4: about 300 KB that decode to 100 million pixels.
    public static func hugeFrame() throws -> String {
        try make(
            "huge-10000x10000", ext: "mp4",
            ["-f", "lavfi", "-i", "color=c=blue:size=10000x10000:rate=1:duration=1"] + quietX264)
    }

    /// One H.264 stream whose pictures grow mid-way: a second of 64x48, then a second of 320x240 (a new SPS in
    /// band), in Matroska.
    public static func sizeChange() throws -> String {
        let small = try make(
            "size-change-part-64x48", ext: "h264",
            ["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=1"] + quietX264 + ["-bsf:v", "dump_extra"])
        let large = try make(
            "size-change-part-320x240", ext: "h264",
            ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1"] + quietX264 + ["-bsf:v", "dump_extra"])
        let joined = directory.appendingPathComponent("size-change-joined.h264")
        if !FileManager.default.fileExists(atPath: joined.path) {
            var data = try Data(contentsOf: URL(fileURLWithPath: small))
            data.append(try Data(contentsOf: URL(fileURLWithPath: large)))
            try data.write(to: joined, options: .atomic)
        }
        return try make("size-change", ext: "mkv", ["-r", "25", "-f", "h264", "-i", joined.path, "-c", "copy"])
    }

    /// A 3 s H.264 + AAC MP4 with its index at the front (`+faststart`), as phones and web uploads have it.
    public static func faststartMP4() throws -> String {
        try make(
            "faststart-3s", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
            ] + quietX264 + ["-c:a", "aac", "-movflags", "+faststart"])
    }

    /// A fragmented MP4 (empty `moov`, one `moof` + `mdat` per keyframe), as streaming packagers write it: its
    /// sample index is in the fragments, not in `moov`.
    public static func fragmentedMP4() throws -> String {
        try derive(
            "fragmented", ext: "mp4", from: try faststartMP4(),
            ["-c", "copy", "-movflags", "+frag_keyframe+empty_moov+default_base_moof"])
    }

    /// H.264 + AAC in Matroska, remuxed from ``faststartMP4()``.
    public static func matroska() throws -> String {
        try derive("remuxed", ext: "mkv", from: try faststartMP4(), ["-c", "copy"])
    }

    /// The first `bytes` of `source` (or, with `fraction`, that share of it), as a copy cut short; cached.
    public static func cut(_ source: String, bytes: Int? = nil, fraction: Double = 0.5) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        let count = bytes ?? Int(Double(data.count) * fraction)
        let url = URL(fileURLWithPath: source)
        let target = directory.appendingPathComponent(
            "\(url.deletingPathExtension().lastPathComponent)-cut-\(count).\(url.pathExtension)")
        if !FileManager.default.fileExists(atPath: target.path) {
            try data.prefix(count).write(to: target, options: .atomic)
        }
        return target.path
    }
}
