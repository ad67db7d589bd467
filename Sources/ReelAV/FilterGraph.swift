import CFFmpeg

/// An owned `AVFilterGraph`: filters are added and linked, then the graph is configured once. The filter contexts it
/// hands out are borrowed: they live as long as the graph, so whoever keeps one keeps the graph too.
final class FilterGraph {
    let pointer: UnsafeMutablePointer<AVFilterGraph>

    /// An empty graph; `threads` slice threads for its filters, 0 lets libav pick one per core.
    init(threads: Int = 0) throws(AVError) {
        pointer = try allocated(avfilter_graph_alloc(), "avfilter_graph_alloc")
        pointer.pointee.nb_threads = Int32(threads)
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFilterGraph>? = pointer
        avfilter_graph_free(&owned)
    }

    /// Adds the filter `name` with its `arguments` (`key=value:…`), labelled `label` (default: its name).
    func add(_ name: String, label: String? = nil, _ arguments: String? = nil) throws(AVError)
        -> UnsafeMutablePointer<AVFilterContext>
    {
        guard let filter = avfilter_get_by_name(name) else {
            throw AVError.invalidArgument("filter \(name) is not available in this FFmpeg build")
        }
        var context: UnsafeMutablePointer<AVFilterContext>? = nil
        try check(
            avfilter_graph_create_filter(&context, filter, label ?? name, arguments, nil, pointer),
            "avfilter_graph_create_filter(\(name))")
        return try allocated(context, "avfilter_graph_create_filter")
    }

    /// Links output pad `pad` of `from` to input pad `input` of `to`.
    func link(
        _ from: UnsafeMutablePointer<AVFilterContext>, _ pad: UInt32 = 0, to: UnsafeMutablePointer<AVFilterContext>,
        _ input: UInt32 = 0
    ) throws(AVError) {
        try check(avfilter_link(from, pad, to, input), "avfilter_link")
    }

    /// Checks the links and formats, inserting the conversions the filters need.
    func configure() throws(AVError) {
        try check(avfilter_graph_config(pointer, nil), "avfilter_graph_config")
    }

    /// Takes the next frame `sink` (a `buffersink` or `abuffersink`) has into `frame`; false when it has none
    /// yet, or no more.
    static func receive(from sink: UnsafeMutablePointer<AVFilterContext>, into frame: Frame) throws(AVError) -> Bool {
        frame.unref()
        let code = av_buffersink_get_frame(sink, frame.pointer)
        if code == averrorEAGAIN || code == averrorEOF { return false }
        try check(code, "av_buffersink_get_frame")
        return true
    }
}

@available(*, unavailable)
extension FilterGraph: Sendable {}
