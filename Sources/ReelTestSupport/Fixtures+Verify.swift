extension Fixtures {
    /// A 2 s, 25 fps clip with moving pictures (`testsrc2`, so neighbouring frames differ clearly) and pink noise
    /// (so audio offsets can be measured), encoded with x264 at `crf` on `threads` threads: two thread counts give
    /// different bits for the same pictures.
    public static func moving(crf: Int, threads: Int = 1, size: String = "320x240", seconds: Int = 2) throws -> String {
        try make(
            "moving-crf\(crf)-t\(threads)-\(size)-\(seconds)s", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=25:duration=\(seconds)", "-f", "lavfi", "-i",
                "anoisesrc=duration=\(seconds):color=pink:seed=7:amplitude=0.3", "-c:v", "libx264", "-crf", "\(crf)",
                "-threads", "\(threads)", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            ])
    }
}
