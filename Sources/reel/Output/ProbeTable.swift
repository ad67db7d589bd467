import Foundation
import ReelAV
import ReelLibrary

/// The compact human form of a probe: one line for the file, one per stream.
enum ProbeTable {
    static func render(_ info: MediaInfo) -> String {
        var header = [info.path, info.container.split(separator: ",").first.map(String.init) ?? info.container]
        header.append(info.duration.map { String(format: "%.3fs", $0) } ?? "duration unknown")
        header.append(byteCount(info.size))
        if let rate = info.bitRate { header.append("\(rate / 1000) kb/s") }
        if let start = info.startTime, start != 0 { header.append(String(format: "start %.3fs", start)) }
        if info.truncated { header.append("TRUNCATED (ends before the data its index describes)") }
        var lines = [header.joined(separator: "  ")]
        for stream in info.streams {
            lines.append("  #\(stream.index) " + describe(stream).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// A frame rate as FFmpeg prints one: two decimals unless it is whole (`29.97`, `23.98`, `25`, `30`), and
    /// thousands as `k`.
    static func rateText(_ fps: Double) -> String {
        let hundredths = (fps * 100).rounded()
        if hundredths.truncatingRemainder(dividingBy: 100) != 0 { return String(format: "%.2f", fps) }
        if hundredths.truncatingRemainder(dividingBy: 100_000) != 0 { return String(format: "%.0f", fps) }
        return String(format: "%.0fk", fps / 1000)
    }

    private static func describe(_ stream: StreamInfo) -> [String] {
        var parts = [stream.type.rawValue, stream.codec]
        if let profile = stream.profile { parts.append("(\(profile))") }
        switch stream.type {
        case .video:
            if let width = stream.width, let height = stream.height { parts.append("\(width)x\(height)") }
            if let sar = stream.sampleAspectRatio, sar != Rational(1, 1) { parts.append("SAR \(sar.ratioString)") }
            if let dar = stream.displayAspectRatio { parts.append("DAR \(dar.ratioString)") }
            if let format = stream.pixelFormat { parts.append(format) }
            if let fps = stream.fps { parts.append("\(rateText(fps)) fps") }
            if stream.rotation != 0 { parts.append("rotate \(stream.rotation)°") }
            if let width = stream.displayWidth, let height = stream.displayHeight,
                width != stream.width || height != stream.height
            {
                parts.append("shows \(width)x\(height)")
            }
        case .audio:
            if let rate = stream.sampleRate { parts.append("\(rate) Hz") }
            parts.append(stream.channelLayout ?? stream.channels.map { "\($0) ch" } ?? "")
            if let format = stream.sampleFormat { parts.append(format) }
        default:
            break
        }
        if let duration = stream.duration { parts.append(String(format: "%.3fs", duration)) }
        if let language = stream.language, language != "und" { parts.append("[\(language)]") }
        return parts.filter { !$0.isEmpty }
    }

    private static func byteCount(_ bytes: Int64) -> String {
        ByteCount.text(bytes)
    }
}
