import CFFmpeg

/// The scores libavfilter's `ssim` and `psnr` filters give one pair of pictures, per plane (luma Y, chroma U
/// and V) and for the whole picture. PSNR is `.infinity` for identical planes, as ffmpeg prints `inf`.
public struct PictureScores: Sendable, Equatable, Codable {
    public var ssimY: Double
    public var ssimU: Double
    public var ssimV: Double
    /// The filter's weighted mean of the three planes (`lavfi.ssim.All`).
    public var ssimAll: Double
    public var mseY: Double
    public var mseU: Double
    public var mseV: Double
    public var psnrY: Double
    public var psnrU: Double
    public var psnrV: Double
}

/// A filter graph (an `AVFilterGraph`) that scores pictures against references in-process:
/// `buffer` (output) and `buffer` (reference) → `ssim` → `psnr` → `buffersink`, the reference converted to the
/// output's pixel format and split between the two filters. Pairs are pushed with one timestamp each; scores come
/// out as the frames' `lavfi.ssim.*` and `lavfi.psnr.*` metadata, tagged with that timestamp.
public final class PictureComparer {
    let graph: FilterGraph
    let outputSource: UnsafeMutablePointer<AVFilterContext>
    let referenceSource: UnsafeMutablePointer<AVFilterContext>
    let sink: UnsafeMutablePointer<AVFilterContext>
    /// Receives each scored picture from the sink.
    private let scored: Frame

    /// A graph for outputs shaped like `output` and references shaped like `reference` (same size, any pixel
    /// format). `threads`: slice threads for the filters, 0 lets libav pick one per core.
    public init(output: Frame, reference: Frame, threads: Int = 0) throws(AVError) {
        guard output.width == reference.width, output.height == reference.height else {
            throw .invalidArgument(
                "pictures differ in size: \(output.width)x\(output.height) against \(reference.width)x\(reference.height)"
            )
        }
        scored = try Frame()
        graph = try FilterGraph(threads: threads)
        outputSource = try graph.add("buffer", label: "output", Self.sourceArguments(output))
        referenceSource = try graph.add("buffer", label: "reference", Self.sourceArguments(reference))
        let format = try graph.add("format", label: "reference_format", "pix_fmts=\(output.pixelFormat.name)")
        let split = try graph.add("split", label: "reference_split", "2")
        let ssim = try graph.add("ssim")
        let psnr = try graph.add("psnr")
        sink = try graph.add("buffersink", label: "scores")
        try graph.link(referenceSource, to: format)
        try graph.link(format, to: split)
        try graph.link(outputSource, to: ssim)
        try graph.link(split, 0, to: ssim, 1)
        try graph.link(ssim, to: psnr)
        try graph.link(split, 1, to: psnr, 1)
        try graph.link(psnr, to: sink)
        try graph.configure()
    }

    private static func sourceArguments(_ frame: Frame) -> String {
        "video_size=\(frame.width)x\(frame.height):pix_fmt=\(frame.pixelFormat.rawValue):time_base=1/1"
            + ":pixel_aspect=1/1"
    }

    /// Pushes one pair under `tag` (increasing from pair to pair), then hands every pair scored so far to `body`.
    public func compare(
        _ output: Frame, with reference: Frame, tag: Int64, _ body: (Int64, PictureScores) throws -> Void
    ) throws {
        output.pts = tag
        reference.pts = tag
        try check(
            av_buffersrc_add_frame_flags(outputSource, output.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
            "av_buffersrc_add_frame_flags")
        try check(
            av_buffersrc_add_frame_flags(referenceSource, reference.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
            "av_buffersrc_add_frame_flags")
        try drain(body)
    }

    /// Ends both inputs and hands the pairs still in the graph to `body`.
    public func finish(_ body: (Int64, PictureScores) throws -> Void) throws {
        try check(av_buffersrc_add_frame_flags(outputSource, nil, 0), "av_buffersrc_add_frame_flags")
        try check(av_buffersrc_add_frame_flags(referenceSource, nil, 0), "av_buffersrc_add_frame_flags")
        try drain(body)
    }

    private func drain(_ body: (Int64, PictureScores) throws -> Void) throws {
        while try FilterGraph.receive(from: sink, into: scored) { try body(scored.pts ?? 0, scores(of: scored)) }
    }

    private func scores(of frame: Frame) throws(AVError) -> PictureScores {
        let metadata = frame.pointer.pointee.metadata
        func value(_ key: String) throws(AVError) -> Double {
            guard let entry = av_dict_get(metadata, key, nil, 0), let text = entry.pointee.value,
                let number = Double(String(cString: text))
            else { throw AVError.invalidArgument("the ssim/psnr filters gave no \(key)") }
            return number
        }
        return PictureScores(
            ssimY: try value("lavfi.ssim.Y"), ssimU: try value("lavfi.ssim.U"), ssimV: try value("lavfi.ssim.V"),
            ssimAll: try value("lavfi.ssim.All"), mseY: try value("lavfi.psnr.mse.y"),
            mseU: try value("lavfi.psnr.mse.u"), mseV: try value("lavfi.psnr.mse.v"),
            psnrY: try value("lavfi.psnr.psnr.y"), psnrU: try value("lavfi.psnr.psnr.u"),
            psnrV: try value("lavfi.psnr.psnr.v"))
    }
}

@available(*, unavailable)
extension PictureComparer: Sendable {}
