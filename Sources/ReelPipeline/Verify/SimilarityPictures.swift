import Foundation
import ReelAV

/// The pictures of a failed perceptual comparison: `<name>.difference.png` (the worst frame: reference | output |
/// heatmap, its time and scores under it) and `<name>.ssim.svg` (SSIM over time, with the threshold).
enum SimilarityPictures {
    /// Writes both pictures for `comparison` of `output` in `folder` (created when missing); returns their paths.
    static func write(
        _ comparison: MediaComparison, output: String, reference: String, thresholds: SimilarityThresholds,
        in folder: String
    ) throws -> [String] {
        guard let worst = comparison.pairs.min(by: { $0.scores.ssimAll < $1.scores.ssimAll }) else { return [] }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        let picture = (folder as NSString).appendingPathComponent("\(name).difference.png")
        let plot = (folder as NSString).appendingPathComponent("\(name).ssim.svg")
        let caption = String(
            format: "FRAME %d T=%.3fS SSIM %.4f PSNR Y %.2fDB", worst.frame, worst.time, worst.scores.ssimAll,
            worst.scores.psnrY)
        let bytes = try DifferencePicture.png(
            output: output, frame: worst.frame, reference: reference, referenceFrame: worst.referenceFrame,
            caption: caption)
        try Data(bytes).write(to: URL(fileURLWithPath: picture), options: .atomic)
        try Data(svg(comparison, threshold: thresholds.ssim).utf8).write(
            to: URL(fileURLWithPath: plot), options: .atomic)
        return [picture, plot]
    }

    /// SSIM (all planes) per frame as a line over time, the threshold dashed, the worst frame marked.
    static func svg(_ comparison: MediaComparison, threshold: Double) -> String {
        let (width, height, margin) = (640.0, 240.0, 40.0)
        let duration = max(comparison.pairs.last?.time ?? 1, 1e-3)
        let lowest = min(comparison.pairs.map(\.scores.ssimAll).min() ?? 1, threshold) - 0.01
        func x(_ time: Double) -> Double { margin + time / duration * (width - 2 * margin) }
        func y(_ ssim: Double) -> Double { margin + (1 - ssim) / (1 - lowest) * (height - 2 * margin) }
        let points = comparison.pairs.map { String(format: "%.1f,%.1f", x($0.time), y($0.scores.ssimAll)) }
        let worst = comparison.pairs.min { $0.scores.ssimAll < $1.scores.ssimAll }
        var lines = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="240" viewBox="0 0 640 240">"#,
            #"<rect width="640" height="240" fill="white"/>"#,
            String(
                format: #"<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="red" stroke-dasharray="4 3"/>"#,
                margin, y(threshold), width - margin, y(threshold)),
            #"<polyline fill="none" stroke="steelblue" stroke-width="1.5" points="\#(points.joined(separator: " "))"/>"#,
            String(format: #"<text x="4" y="%.1f" font-size="11">%.3f</text>"#, y(1) + 4, 1.0),
            String(format: #"<text x="4" y="%.1f" font-size="11">%.3f</text>"#, y(lowest) + 4, lowest),
            String(
                format: #"<text x="%.1f" y="%.1f" font-size="11">%.3fs</text>"#, width - margin - 20, height - 12,
                duration),
            #"<text x="\#(margin)" y="20" font-size="13">SSIM over time (threshold \#(format(threshold)))</text>"#,
        ]
        if let worst {
            lines.append(
                String(
                    format: #"<circle cx="%.1f" cy="%.1f" r="4" fill="red"><title>frame %d: %.4f</title></circle>"#,
                    x(worst.time), y(worst.scores.ssimAll), worst.frame, worst.scores.ssimAll))
        }
        return (lines + ["</svg>"]).joined(separator: "\n") + "\n"
    }
}
