/// Sprite sheets for scrub previews: a grid of small frames every N seconds, on one or more sheets, plus a WebVTT
/// index whose cues cover the clip back to back and point at `SHEET.jpg#xywh=x,y,w,h`.
///
/// Sparse sheets are cheap: when the interval is at least the keyframe interval, each tile is the keyframe at or
/// before its time, reached by one seek and one decoded packet; only denser sheets decode frames in order.
public enum SpriteSheet {
    /// Rows per sheet when neither rows nor interval is given.
    public static let defaultRows = 5

    /// Writes the sheet(s) and the `.vtt` beside them; says what was written and where each tile sits. Existing
    /// files there are replaced only with `overwrite`.
    ///
    /// Once `cancellation` is set, the work stops between packets and tiles with ``ThumbnailError/media(_:)`` of
    /// ``AVError/cancelled`` and nothing is written.
    public static func make(
        _ request: SpriteRequest, cancellation: CancellationFlag? = nil, overwrite: Bool = true
    ) throws(ThumbnailError) -> ThumbnailResult {
        try request.validate()
        try AtomicWriter.checkFolder(of: request.output)
        let (result, files) = try render(request, cancellation: cancellation)
        if cancellation?.isCancelled == true { throw .media(.cancelled) }
        try AtomicWriter.writeAll(files, overwrite: overwrite)
        return result
    }

    /// Every file ``make(_:cancellation:overwrite:)`` would write for `request`: the sheet or numbered sheets (as
    /// many as the clip's duration needs) and the `.vtt`. Reads only the input's header.
    public static func outputPaths(for request: SpriteRequest) throws(ThumbnailError) -> [String] {
        try request.validate()
        let layout = try convertingErrors { () throws -> Layout in
            try Layout(
                request, reader: try VideoReader(path: request.input, pixelLimit: request.pixelLimit, cancellation: nil)
            )
        }
        return layout.sheetPaths + [layout.vttPath]
    }

    /// Encodes the sheet(s) and the `.vtt` without writing them: the result as ``make(_:cancellation:overwrite:)``
    /// reports it, and the bytes meant for each path.
    public static func render(
        _ request: SpriteRequest, cancellation: CancellationFlag? = nil
    ) throws(ThumbnailError) -> (result: ThumbnailResult, files: [ThumbnailFile]) {
        try request.validate()
        let format = ImageFormat(path: request.output) ?? .jpeg
        return try convertingErrors { () throws -> (result: ThumbnailResult, files: [ThumbnailFile]) in
            let reader = try VideoReader(
                path: request.input, pixelLimit: request.pixelLimit, cancellation: cancellation)
            let layout = try Layout(request, reader: reader)
            let frames = try pictures(at: layout.times, every: layout.every, reader: reader)
            guard let first = frames.first else { throw ThumbnailError.noFrame(file: request.input) }
            let geometry = reader.geometry(of: first.frame)
            let tile = geometry.outputSize(request.size)
            try request.pixelLimit.check(width: tile.width, height: tile.height, file: request.output)

            var outputs: [ThumbnailImage] = []
            var tiles: [SpriteTile] = []
            var files: [ThumbnailFile] = []
            for (sheet, path) in layout.sheetPaths.enumerated() {
                let range = (sheet * layout.perSheet)..<min(layout.count, (sheet + 1) * layout.perSheet)
                let usedRows = (range.count + request.columns - 1) / request.columns
                let canvas = try Frame.picture(
                    width: request.columns * tile.width, height: usedRows * tile.height, format: .rgb24)
                canvas.fillPlane0(0)
                for index in range {
                    try cancellation?.check()
                    let position = index - range.lowerBound
                    let x = (position % request.columns) * tile.width
                    let y = (position / request.columns) * tile.height
                    let picture = frames[min(index, frames.count - 1)]
                    let small = try PictureRenderer.render(
                        picture.frame, width: tile.width, height: tile.height, format: .rgb24,
                        rotation: geometry.rotation)
                    small.copyRGB(into: canvas, x: x, y: y)
                    tiles.append(
                        SpriteTile(
                            sheet: path, x: x, y: y, width: tile.width, height: tile.height,
                            start: layout.times[index],
                            end: index + 1 < layout.count ? layout.times[index + 1] : layout.duration, at: picture.time)
                    )
                }
                let encoded =
                    format == .png
                    ? canvas
                    : try PictureRenderer.scale(
                        canvas, width: canvas.width, height: canvas.height,
                        format: ImageEncoder.pixelFormat(for: format))
                files.append(
                    ThumbnailFile(
                        path: path, bytes: try ImageEncoder.encode(encoded, as: format, quality: request.quality)))
                outputs.append(
                    ThumbnailImage(
                        path: path, width: canvas.width, height: canvas.height,
                        at: frames[min(range.lowerBound, frames.count - 1)].time))
            }
            files.append(ThumbnailFile(path: layout.vttPath, bytes: Array(WebVTT(tiles: tiles).text.utf8)))
            try cancellation?.check()
            let result = ThumbnailResult(
                outputs: outputs, vtt: layout.vttPath, columns: request.columns, rows: layout.rows,
                tileWidth: tile.width, tileHeight: tile.height, tiles: tiles)
            return (result, files)
        }
    }

    /// How a request's tiles fall on sheets, from the clip's duration: one tile every `every` seconds, `perSheet`
    /// to a sheet, and the paths the sheets and the index are written to.
    private struct Layout {
        let duration: Double
        let every: Double
        let count: Int
        let rows: Int
        let perSheet: Int
        let times: [Double]
        let sheetPaths: [String]
        let vttPath: String

        init(_ request: SpriteRequest, reader: VideoReader) throws {
            guard let duration = reader.duration, duration > 0 else {
                throw ThumbnailError.unknownDuration(file: request.input)
            }
            self.duration = duration
            every = request.every ?? duration / Double(request.columns * (request.rows ?? defaultRows))
            count = max(1, Int((duration / every - 1e-9).rounded(.up)))
            rows = request.rows ?? (count + request.columns - 1) / request.columns
            perSheet = request.columns * rows
            let sheetCount = (count + perSheet - 1) / perSheet
            let step = every
            times = (0..<count).map { Double($0) * step }
            sheetPaths = (0..<sheetCount).map {
                sheetCount == 1 ? request.output : SpriteSheet.numbered(request.output, $0 + 1)
            }
            vttPath = SpriteSheet.replacingExtension(of: request.output, with: "vtt")
        }
    }

    /// One decoded frame per time: the keyframe at or before it when keyframes come at least as often as the
    /// interval (one seek each), else the first frame shown at or after it, decoding in order.
    static func pictures(
        at times: [Double], every: Double, reader: VideoReader
    ) throws -> [(frame: Frame, time: Double)] {
        var result: [(frame: Frame, time: Double)] = []
        if every >= (try reader.keyframeInterval()) {
            reader.decoder.keyframesOnly = true
            for time in times {
                try reader.seek(to: time)
                guard let found = try reader.nextKeyframe() else { break }
                result.append(found)
            }
            return result
        }
        try reader.seek(to: 0)
        var next = 0
        try reader.forEachFrame { (decoded, time) throws(AVError) -> Bool in
            while next < times.count, time >= times[next] - 1e-9 {
                result.append((try decoded.reference(), time))
                next += 1
            }
            return next < times.count
        }
        return result
    }

    /// `dir/name-007.jpg` for `dir/name.jpg`.
    static func numbered(_ path: String, _ number: Int) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        return replacingExtension(of: path, with: nil, suffix: "-\(padded)")
    }

    /// `path` with its extension replaced (or kept when `newExtension` is nil) and `suffix` added to the name.
    static func replacingExtension(of path: String, with newExtension: String?, suffix: String = "") -> String {
        let slash = path.lastIndex(of: "/")
        let nameStart = slash.map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[nameStart...].lastIndex(of: "."), dot != nameStart else {
            return path + suffix + (newExtension.map { ".\($0)" } ?? "")
        }
        let oldExtension = String(path[path.index(after: dot)...])
        return String(path[..<dot]) + suffix + "." + (newExtension ?? oldExtension)
    }
}
