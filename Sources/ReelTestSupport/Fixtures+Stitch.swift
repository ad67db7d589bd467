import Foundation

/// Clips for stitch tests: H.264 + AAC with the same encoder settings (so they can be copied together), and
/// clips that carry a white flash and a 1 kHz beep at a known time, to find boundaries in an output.
extension Fixtures {
    /// H.264 (veryfast, 2 B-frames) + AAC in MP4, from ffmpeg test source `source` (`testsrc2`, `smptebars`,
    /// `mandelbrot`…). Clips differing only in source, length and tone share every codec parameter.
    public static func h264Clip(
        source: String = "testsrc2", seconds: Double = 2, size: String = "320x240", rate: String = "30",
        audio: Bool = true, sampleRate: Int = 48000, channels: Int = 2, tone: Int = 440, sar: String? = nil
    ) throws -> String {
        var arguments = ["-f", "lavfi", "-i", "\(source)=size=\(size):rate=\(rate):duration=\(seconds)"]
        if audio {
            arguments += [
                "-f", "lavfi", "-i", "sine=frequency=\(tone):sample_rate=\(sampleRate):duration=\(seconds)",
            ]
        }
        if let sar { arguments += ["-vf", "setsar=\(sar)"] }
        arguments += ["-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p"]
        arguments += audio ? ["-c:a", "aac", "-ac", "\(channels)", "-shortest"] : ["-an"]
        let name =
            "clip-\(source)-\(size)-\(rate.replacingOccurrences(of: "/", with: "_"))-\(seconds)"
            + (tone == 440 ? "" : "-\(tone)Hz")
        return try make(name, ext: "mp4", arguments)
    }

    /// A clip whose frame N is flat grey at luma 16 + 3N (H.264, 64x64, 30 fps, a keyframe every `gop` frames,
    /// B-frames) with a 440 Hz tone: ``frameNumbers(_:)`` reads back which source frames a file shows.
    public static func numberedFrames(seconds: Int = 2, gop: Int = 15) throws -> String {
        try make(
            "numbered-\(seconds)-\(gop)", ext: "mp4",
            [
                "-f", "lavfi", "-i",
                "color=c=black:size=64x64:rate=30:duration=\(seconds),geq=lum='16+3*N':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "\(gop)", "-keyint_min", "\(gop)",
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            ])
    }

    /// The source frame numbers of ``numberedFrames(seconds:gop:)`` a file shows, in order, from each decoded
    /// frame's mean luma as ffmpeg's `signalstats` measures it.
    public static func frameNumbers(_ path: String) throws -> [Int] {
        let escaped = path.replacingOccurrences(of: "'", with: "\\'")
        return try Shell.run(
            "ffprobe",
            [
                "-v", "error", "-f", "lavfi", "-i", "movie='\(escaped)',signalstats", "-show_entries",
                "frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0",
            ]
        ).stdout.split(separator: "\n").compactMap { Double($0) }.map { Int((($0 - 16) / 3).rounded()) }
    }

    /// A dark clip with a white flash from 0.5 s to 0.6 s and, when it has audio, a 1 kHz beep from 0.5 s to
    /// 0.55 s (silence elsewhere). `audioSeconds` shorter than `seconds` gives audio that ends early.
    public static func flashBeep(
        size: String, rate: String, seconds: Double = 2, audioRate: Int? = 48000, channels: Int = 2,
        audioSeconds: Double? = nil, sar: String? = nil, rotate: Int? = nil
    ) throws -> String {
        var filters = ["drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(t,0.5,0.6)'"]
        if let sar { filters.append("setsar=\(sar)") }
        var arguments = ["-f", "lavfi", "-i", "color=c=0x202020:size=\(size):rate=\(rate):duration=\(seconds)"]
        if let audioRate {
            arguments += [
                "-f", "lavfi", "-i",
                "aevalsrc='if(between(t,0.5,0.55),0.8*sin(2*PI*1000*t),0)':s=\(audioRate):d=\(audioSeconds ?? seconds)",
            ]
        }
        arguments += [
            "-vf", filters.joined(separator: ","), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        ]
        arguments += audioRate == nil ? ["-an"] : ["-c:a", "aac", "-ac", "\(channels)"]
        let name = "flash-\(size)-\(rate)-\(audioRate ?? 0)-\(channels)"
        let clip = try make(name, ext: "mp4", arguments)
        guard let rotate else { return clip }
        return try derive(
            "\(name)-rotated-\(rotate)", ext: "mp4", from: clip,
            ["-c", "copy", "-metadata:s:v:0", "rotate=\((360 - rotate) % 360)"])
    }

    /// A variable-frame-rate clip (H.264 + AAC, 320x240, 3 s): its first second at 30 fps, the rest at 15 fps, so
    /// its nominal rate (`r_frame_rate`) is 30/1 and its average 20 fps or thereabouts.
    public static func variableRate() throws -> String {
        try make(
            "vfr-30-15", ext: "mp4",
            [
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=3", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=3",
                "-vf", "select='lt(n,30)+not(mod(n,2))',setpts='if(lt(N,30),N/30,1+(N-30)/15)/TB'", "-fps_mode", "vfr",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            ])
    }

    /// A file of random-looking bytes named `.mp4`.
    public static func corruptMP4() throws -> String {
        let target = directory.appendingPathComponent("corrupt.mp4")
        if !FileManager.default.fileExists(atPath: target.path) {
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: target, options: .atomic)
        }
        return target.path
    }
}

/// Reads decoded media back with ffmpeg, for checks on what a viewer sees and hears.
public enum DecodedMedia {
    /// Every frame of `path` as `width`×`height` yuv420p bytes (luma, then the two chroma planes), decoded by ffmpeg.
    public static func yuvFrames(_ path: String, width: Int = 320, height: Int = 240) throws -> [[UInt8]] {
        let result = try Shell.run(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-pix_fmt", "yuv420p", "-f", "rawvideo", "-"])
        guard result.status == 0 else { throw ToolFailure(tool: "ffmpeg", arguments: [path], stderr: result.stderr) }
        let size = width * height * 3 / 2
        let bytes = [UInt8](result.stdoutData)
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<$0 + size]) }
    }

    /// Integrated loudness (LUFS) and true peak (dBTP) of `path`'s sound from `start` for `length` seconds (the
    /// whole file without them), as ffmpeg's `ebur128` filter sums them up.
    public static func loudness(
        _ path: String, from start: Double? = nil, length: Double? = nil
    ) throws -> (integrated: Double, truePeak: Double) {
        var arguments = ["-nostdin", "-hide_banner", "-nostats"]
        if let start { arguments += ["-ss", "\(start)"] }
        if let length { arguments += ["-t", "\(length)"] }
        arguments += ["-i", path, "-vn", "-af", "ebur128=peak=true", "-f", "null", "-"]
        let result = try Shell.run("ffmpeg", arguments)
        guard result.status == 0 else { throw ToolFailure(tool: "ffmpeg", arguments: arguments, stderr: result.stderr) }
        // The summary ends the log: `I: -16.0 LUFS` under "Integrated loudness", `Peak: -2.3 dBFS` under "True peak".
        guard let summary = result.stderr.range(of: "Summary:", options: .backwards) else {
            throw ToolFailure(tool: "ffmpeg", arguments: arguments, stderr: "no ebur128 summary")
        }
        let text = result.stderr[summary.upperBound...]
        func number(after label: String, from: Substring) -> Double? {
            guard let range = from.range(of: label) else { return nil }
            return Double(from[range.upperBound...].split(separator: " ", omittingEmptySubsequences: true).first ?? "")
        }
        let peakSection = text.range(of: "True peak:").map { text[$0.upperBound...] } ?? text
        guard let integrated = number(after: "I:", from: text), let peak = number(after: "Peak:", from: peakSection)
        else { throw ToolFailure(tool: "ffmpeg", arguments: arguments, stderr: String(text)) }
        return (integrated, peak)
    }

    /// PSNR in dB of yuv420p frame `a` against `b` (``yuvFrames(_:width:height:)``), infinity when equal: over
    /// every byte, or with `columns` and `rows` over that window of luma only.
    public static func psnr(
        _ a: [UInt8], _ b: [UInt8], width: Int = 320, height: Int = 240, columns: Range<Int>? = nil,
        rows: Range<Int>? = nil
    ) -> Double {
        var squared = 0.0
        var count = 0
        func add(_ index: Int) {
            let difference = Double(a[index]) - Double(b[index])
            squared += difference * difference
            count += 1
        }
        if columns == nil && rows == nil {
            for index in 0..<min(a.count, b.count) { add(index) }
        } else {
            for y in rows ?? 0..<height {
                for x in columns ?? 0..<width where y * width + x < min(a.count, b.count) { add(y * width + x) }
            }
        }
        guard count > 0, squared > 0 else { return .infinity }
        return 10 * log10(255 * 255 / (squared / Double(count)))
    }

    /// Mean luma of every video frame, after scaling to `width`×`height` grey; also each frame's pixels.
    public static func lumaFrames(_ path: String, width: Int = 64, height: Int = 36) throws -> [[UInt8]] {
        let result = try Shell.run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-vf", "scale=\(width):\(height),format=gray",
                "-f", "rawvideo", "-",
            ])
        guard result.status == 0 else { throw ToolFailure(tool: "ffmpeg", arguments: [path], stderr: result.stderr) }
        let size = width * height
        let bytes = [UInt8](result.stdoutData)
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<$0 + size]) }
    }

    /// The RMS level (dBFS) of `path`'s audio from `start` to `end` seconds, as ffmpeg's astats measures it.
    public static func rmsLevel(_ path: String, from start: Double, to end: Double) throws -> Double {
        let stderr = try Shell.run(
            "ffmpeg", ["-v", "info", "-i", path, "-af", "atrim=start=\(start):end=\(end),astats", "-f", "null", "-"]
        ).stderr
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("RMS level dB:") }) else {
            throw ToolFailure(tool: "ffmpeg", arguments: [path, "astats"], stderr: stderr)
        }
        return Double(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) ?? .nan
    }

    /// The audio as mono 16-bit samples at `rate`.
    public static func monoSamples(_ path: String, rate: Int = 48000) throws -> [Int16] {
        let result = try Shell.run(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-i", path, "-map", "0:a", "-ac", "1", "-ar", "\(rate)", "-f", "s16le", "-"])
        guard result.status == 0 else { throw ToolFailure(tool: "ffmpeg", arguments: [path], stderr: result.stderr) }
        return result.stdoutData.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }
}
