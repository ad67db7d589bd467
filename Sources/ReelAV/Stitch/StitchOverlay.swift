import CFFmpeg

/// Where an overlay sits in the output frame: in a corner (its margin away from both edges), in the centre, or with
/// its top-left corner at a point (output pixels from the frame's top-left corner).
public enum OverlayPlacement: Sendable, Hashable {
    case corner(Corner)
    case point(x: Int, y: Int)

    public enum Corner: String, Sendable, CaseIterable {
        case topLeft = "top-left"
        case topRight = "top-right"
        case bottomLeft = "bottom-left"
        case bottomRight = "bottom-right"
        case center
    }

    /// Reads a corner's name (`top-right`) or a point `X,Y` (`40,20`), as `--overlay-position` and the pipeline's
    /// `overlay.position` take it; nil when it is neither.
    public init?(_ text: String) {
        if let corner = Corner(rawValue: text) {
            self = .corner(corner)
            return
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]) else { return nil }
        self = .point(x: x, y: y)
    }

    /// How a placement is written.
    public static let syntax = "top-left, top-right, bottom-left, bottom-right, center, or X,Y in pixels"

    /// The placement as ``init(_:)`` reads it.
    public var written: String {
        switch self {
        case .corner(let corner): corner.rawValue
        case .point(let x, let y): "\(x),\(y)"
        }
    }
}

/// A still picture (a logo, a watermark: PNG or JPEG, its transparency kept) laid over a re-encoded stitch: placed,
/// scaled, at an opacity, over the whole output or from one time to another. It is laid over before the fades, so
/// it fades with the pictures under it.
public struct Overlay: Sendable, Hashable {
    /// The picture file.
    public var path: String
    public var placement: OverlayPlacement
    /// Pixels between the overlay and the frame's edges, for a corner.
    public var margin: Int
    /// The overlay's size relative to the picture's own (0.5: half as wide and half as high).
    public var scale: Double
    /// From 0 (invisible) to 1 (as opaque as the picture is).
    public var opacity: Double
    /// Seconds into the output the overlay is shown from, and until (nil: the end).
    public var from: Double
    public var until: Double?

    /// The scales an overlay may be given.
    public static let scales = 0.01...16.0

    public init(
        path: String, placement: OverlayPlacement = .corner(.topRight), margin: Int = 16, scale: Double = 1,
        opacity: Double = 1, from: Double = 0, until: Double? = nil
    ) {
        self.path = path
        self.placement = placement
        self.margin = margin
        self.scale = scale
        self.opacity = opacity
        self.from = from
        self.until = until
    }

    /// Reads `FROM-UNTIL` in seconds (`1-5`, `2-`, `-4`) as `--overlay-time` takes it; nil when malformed.
    public static func times(flag text: String) -> (from: Double, until: Double?)? {
        let sides = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2, let from = sides[0].isEmpty ? 0 : Double(sides[0]) else { return nil }
        if sides[1].isEmpty { return (from, nil) }
        guard let until = Double(sides[1]) else { return nil }
        return (from, until)
    }

    /// How `--overlay-time` is written.
    public static let timesSyntax = "FROM-UNTIL in seconds of the output (1-5; either may be left out)"

    /// Why the overlay cannot be made, before any file is read; nil when it can.
    var problem: String? {
        if margin < 0 { return "margin \(margin) must be 0 or more pixels" }
        if case .point(let x, let y) = placement, x < 0 || y < 0 {
            return "position \(x),\(y) must be 0 or more pixels from the top-left corner"
        }
        guard Self.scales.contains(scale) else { return "scale \(scale) must be from 0.01 to 16" }
        guard (0...1).contains(opacity) else { return "opacity \(opacity) must be from 0 to 1" }
        guard from.isFinite, from >= 0 else { return "from \(from) s must be 0 s or more" }
        if let until, !(until > from) || !until.isFinite {
            return "until \(until) s must be after from (\(String(seconds: from)) s)"
        }
        return nil
    }

    /// The options as the stage cache key writes them.
    public var written: String {
        "\(placement.written) margin \(margin) scale \(scale) opacity \(opacity) from \(from) until "
            + (until.map { "\($0)" } ?? "end")
    }

    /// Where the overlay lands in a `width`×`height` output of `duration` seconds: the picture read (a still
    /// image), scaled, placed on even pixels (as 4:2:0 chroma needs), and refused when it does not fit in the
    /// frame or starts after the output ends.
    func planned(width: Int, height: Int, duration: Double) throws(StitchError) -> PlannedOverlay {
        let size: (width: Int, height: Int)
        do {
            let file = try InputFile(path: path)
            let video = try file.requireStream(.video).info
            guard file.isStillImage else {
                throw StitchError.overlay(path: path, cause: "not a still image (give a PNG or JPEG)")
            }
            size = (video.width ?? 0, video.height ?? 0)
        } catch let error as StitchError {
            throw error
        } catch {
            throw .overlay(path: path, cause: StitchError.cause(of: error, at: path))
        }
        let scaledWidth = max(1, Int((Double(size.width) * scale).rounded()))
        let scaledHeight = max(1, Int((Double(size.height) * scale).rounded()))
        var x: Int
        var y: Int
        switch placement {
        case .point(let left, let top): (x, y) = (left, top)
        case .corner(let corner):
            let right = width - scaledWidth - margin
            let bottom = height - scaledHeight - margin
            switch corner {
            case .topLeft: (x, y) = (margin, margin)
            case .topRight: (x, y) = (right, margin)
            case .bottomLeft: (x, y) = (margin, bottom)
            case .bottomRight: (x, y) = (right, bottom)
            case .center: (x, y) = ((width - scaledWidth) / 2, (height - scaledHeight) / 2)
            }
        }
        (x, y) = (x & ~1, y & ~1)
        guard x >= 0, y >= 0, x + scaledWidth <= width, y + scaledHeight <= height else {
            throw .overlay(
                path: path,
                cause: "\(scaledWidth)x\(scaledHeight) at \(placement.written)"
                    + (scale == 1 ? "" : " (scale \(scale))")
                    + (Self.isCorner(placement) ? " with a \(margin) px margin" : "")
                    + " does not fit in the \(width)x\(height) output")
        }
        guard from < duration else {
            throw .overlay(
                path: path,
                cause: "from \(String(seconds: from)) s is not before the output's end (\(String(seconds: duration)) s)"
            )
        }
        return PlannedOverlay(
            path: path, x: x, y: y, width: scaledWidth, height: scaledHeight, from: from,
            until: min(until ?? duration, duration), opacity: opacity)
    }

    private static func isCorner(_ placement: OverlayPlacement) -> Bool {
        if case .corner(let corner) = placement { return corner != .center }
        return false
    }
}

/// An overlay in a stitch's timeline: the picture, where it lands (pixels) and when (seconds of the output).
public struct PlannedOverlay: Sendable, Hashable, Codable {
    public var path: String
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var from: Double
    public var until: Double
    public var opacity: Double
}

/// The overlay's picture, decoded once and converted to 4:2:0 with alpha at its planned size, laid over output
/// pictures by ``laid(over:)``.
final class OverlayPicture {
    let plan: PlannedOverlay
    private let picture: Frame
    private let opacity: Int32

    init(_ plan: PlannedOverlay, pixelLimit: PixelLimit) throws(StitchError) {
        self.plan = plan
        opacity = Int32((plan.opacity * 255).rounded())
        do {
            let file = try InputFile(path: plan.path, pixelLimit: pixelLimit)
            let stream = try file.requireStream(.video)
            file.discardAll(except: [stream])
            let decoder = try MediaDecoder(for: stream)
            let packet = try Packet()
            let decoded = try Frame()
            let converted = try Frame()
            var done = false
            func take(_ frame: Frame) throws {
                guard !done else { return }
                let scaler = try Scaler(
                    from: frame, width: plan.width, height: plan.height, pixelFormat: .yuva420p, accurate: false)
                try scaler.scale(frame, into: converted)
                done = true
            }
            while !done, try file.read(into: packet) {
                guard packet.streamIndex == stream.index else { continue }
                try decoder.decode(packet, into: decoded, take)
            }
            if !done { try decoder.decode(nil, into: decoded, take) }
            guard done else { throw AVError.truncated(file: plan.path, detail: "no picture could be decoded") }
            picture = converted
        } catch {
            throw .overlay(path: plan.path, cause: StitchError.cause(of: error, at: plan.path))
        }
    }

    /// Whether the overlay is shown at output frame `index` of a `rate` frames per second output.
    func shows(frame index: Int64, rate: Double) -> Bool {
        let time = Double(index) / rate
        return time >= plan.from - 1e-9 && time < plan.until - 1e-9
    }

    /// A copy of `picture` (a composed yuv420p frame) with the overlay laid over it.
    func laid(over picture: Frame) throws(AVError) -> Frame {
        let canvas = try Frame()
        try canvas.allocateVideo(width: picture.width, height: picture.height, pixelFormat: .yuv420p)
        try check(av_frame_copy(canvas.pointer, picture.pointer), "av_frame_copy")
        guard let alpha = self.picture.plane(3) else { throw .invalidArgument("stitch: the overlay has no alpha") }
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            guard let target = canvas.plane(plane), let source = self.picture.plane(plane) else {
                throw .invalidArgument("stitch: a picture has no plane \(plane)")
            }
            let origin = target.base + (plan.y >> shift) * target.stride + (plan.x >> shift)
            reel_overlay_plane(
                origin, Int32(target.stride), source.base, Int32(source.stride), alpha.base, Int32(alpha.stride),
                Int32((plan.width + shift) >> shift), Int32((plan.height + shift) >> shift), Int32(plan.width),
                Int32(plan.height), Int32(shift), opacity)
        }
        canvas.pts = picture.pts
        return canvas
    }
}

@available(*, unavailable)
extension OverlayPicture: Sendable {}
