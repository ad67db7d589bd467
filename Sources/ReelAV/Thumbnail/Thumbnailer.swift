/// Makes still pictures from videos, in-process: the frame at a time, at a percentage, or the best one.
///
/// The `reel thumbnail` command calls ``thumbnail(_:cancellation:overwrite:)`` and
/// ``SpriteSheet/make(_:cancellation:overwrite:)``, which write through temporary files in the output folder, so a
/// failure leaves nothing; the pipeline's `thumbnail` stage calls the `render` functions under them and writes the
/// bytes into the library's staging folder.
public enum Thumbnailer {
    /// Candidates spread over the clip when looking for the best frame.
    public static let bestCandidates = 12

    /// Writes the frame `request.at` asks for to `request.output` and says what was written. An existing file
    /// there is replaced only with `overwrite`.
    ///
    /// Once `cancellation` is set, decoding stops between packets with ``ThumbnailError/media(_:)`` of
    /// ``AVError/cancelled`` and nothing is written.
    public static func thumbnail(
        _ request: ThumbnailRequest, cancellation: CancellationFlag? = nil, overwrite: Bool = true
    ) throws(ThumbnailError) -> ThumbnailResult {
        try request.validate()
        try AtomicWriter.checkFolder(of: request.output)
        let (result, files) = try render(request, cancellation: cancellation)
        if cancellation?.isCancelled == true { throw .media(.cancelled) }
        try AtomicWriter.writeAll(files, overwrite: overwrite)
        return result
    }

    /// Encodes the frame `request.at` asks for without writing it: the result as
    /// ``thumbnail(_:cancellation:overwrite:)`` reports it, and the bytes meant for `request.output`.
    public static func render(
        _ request: ThumbnailRequest, cancellation: CancellationFlag? = nil
    ) throws(ThumbnailError) -> (result: ThumbnailResult, files: [ThumbnailFile]) {
        try request.validate()
        let format = ImageFormat(path: request.output) ?? .jpeg
        return try convertingErrors { () throws -> (result: ThumbnailResult, files: [ThumbnailFile]) in
            let reader = try VideoReader(
                path: request.input, pixelLimit: request.pixelLimit, cancellation: cancellation)
            let chosen: (frame: Frame, time: Double)
            switch request.at {
            case .seconds(let seconds):
                chosen = try frame(at: seconds, in: reader)
            case .percent(let percent):
                guard let duration = reader.duration else { throw ThumbnailError.unknownDuration(file: request.input) }
                chosen = try frame(at: duration * percent / 100, in: reader)
            case .best:
                chosen = try bestFrame(in: reader)
            }
            let geometry = reader.geometry(of: chosen.frame)
            let size = geometry.outputSize(request.size)
            try request.pixelLimit.check(width: size.width, height: size.height, file: request.output)
            let picture = try PictureRenderer.render(
                chosen.frame, width: size.width, height: size.height,
                format: ImageEncoder.pixelFormat(for: format), rotation: geometry.rotation)
            let bytes = try ImageEncoder.encode(picture, as: format, quality: request.quality)
            try cancellation?.check()
            let image = ThumbnailImage(path: request.output, width: size.width, height: size.height, at: chosen.time)
            return (ThumbnailResult(outputs: [image]), [ThumbnailFile(path: request.output, bytes: bytes)])
        }
    }

    /// The frame shown at `seconds`, or an error naming the duration when that is at or past the end.
    static func frame(at seconds: Double, in reader: VideoReader) throws -> (frame: Frame, time: Double) {
        if let duration = reader.duration, seconds >= duration {
            throw ThumbnailError.pastEnd(file: reader.path, at: seconds, duration: duration)
        }
        guard let found = try reader.frame(at: seconds) else { throw ThumbnailError.noFrame(file: reader.path) }
        return found
    }

    /// Candidates spread over the clip (a keyframe when one falls in the candidate's stretch, else the first frame
    /// of the stretch), measured on a small copy and judged by ``FrameSelector``.
    static func bestFrame(in reader: VideoReader) throws -> (frame: Frame, time: Double) {
        guard let duration = reader.duration, duration > 0 else {
            return try frame(at: 0, in: reader)
        }
        var candidates: [(frame: Frame, time: Double)] = []
        var measures: [FrameSelector.Measure] = []
        for slot in 0..<bestCandidates {
            let start = duration * Double(slot) / Double(bestCandidates)
            let middle = duration * (Double(slot) + 0.5) / Double(bestCandidates)
            try reader.seek(to: middle)
            var picked: (frame: Frame, time: Double)?
            try reader.forEachFrame { (decoded, time) throws(AVError) -> Bool in
                guard time >= start - 1e-9 else { return true }
                picked = (try decoded.reference(), time)
                return false
            }
            guard let picked, picked.time < duration,
                candidates.last.map({ $0.time < picked.time }) ?? true
            else { continue }
            let small = try PictureRenderer.scale(picked.frame, width: 96, height: 54, format: .rgb24)
            guard let plane = small.plane(0) else { continue }
            var bytes = [UInt8]()
            bytes.reserveCapacity(96 * 54 * 3)
            for row in 0..<54 {
                bytes.append(contentsOf: UnsafeBufferPointer(start: plane.base + row * plane.stride, count: 96 * 3))
            }
            candidates.append(picked)
            measures.append(FrameSelector.Measure(rgb: bytes, width: 96, height: 54))
        }
        guard let index = FrameSelector().choose(measures) else { return try frame(at: 0, in: reader) }
        return candidates[index]
    }
}

/// Runs `body`, keeping thumbnail errors and wrapping media-layer ones in ``ThumbnailError/media(_:)``.
func convertingErrors<T>(_ body: () throws -> T) throws(ThumbnailError) -> T {
    do {
        return try body()
    } catch let error as ThumbnailError {
        throw error
    } catch let error as AVError {
        throw .media(error)
    } catch {
        throw .media(.invalidArgument("\(error)"))
    }
}
