import ArgumentParser
import Foundation
import ReelAV
import ReelLibrary

/// `reel thumbnail FILE [--at SECONDS|PERCENT%|best] [--width W | --height H] [--quality Q] [-o OUT] [--json]`,
/// or with `--sprite`, a grid sheet of frames every N seconds plus a WebVTT index.
struct ThumbnailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Write a still (JPEG or PNG) from a video, or a sprite sheet with a WebVTT index.",
        discussion: """
            --at takes seconds from the start of the clip (12.5), a percentage (25%) or best (the default: \
            a representative frame, never black or flat). Width or height alone keeps the display aspect ratio \
            (sample aspect ratio and rotation applied). With --sprite, tiles are taken every --every seconds \
            (default: columns x rows tiles over the whole clip) and a .vtt file is written beside the sheet. \
            Existing files are replaced only with --force.
            """
    )

    @Argument(help: "The video file.")
    var file: String

    @Option(help: "SECONDS, PERCENT% or best (default best).")
    var at: String?

    @Option(help: "Output width in pixels (height follows the display aspect ratio).")
    var width: Int?

    @Option(help: "Output height in pixels (width follows the display aspect ratio).")
    var height: Int?

    @Option(help: "JPEG quality as ffmpeg's -q:v: 1 (best) to 31 (smallest); default 2, or 3 for sprites.")
    var quality: Int?

    @Option(name: [.short, .customLong("output")], help: "Output .jpg, .jpeg or .png (default: FILE's name).")
    var output: String?

    @Flag(help: "Make a sprite sheet and a WebVTT index instead of one still.")
    var sprite = false

    @Option(help: "Sprite: seconds between tiles.")
    var every: Double?

    @Option(help: "Sprite: tiles per row (default 5).")
    var columns: Int?

    @Option(help: "Sprite: rows per sheet (default 5, or all tiles on one sheet when --every is given).")
    var rows: Int?

    @OptionGroup var pixelLimit: PixelLimitOption
    @Flag(help: "Overwrite the output files (the image, a sprite's sheets and .vtt) if they exist.")
    var force = false

    @OptionGroup var format: OutputOptions

    func run() throws {
        do {
            try checkUsage()
        } catch {
            throw ReelError(description: "reel thumbnail: \(error)", exitCode: 2)
        }
        try make()
    }

    /// Usage mistakes found before the input is opened (exit 2, one line).
    private func checkUsage() throws {
        if sprite {
            if at != nil { throw ThumbnailUsageError("--at cannot be used with --sprite") }
            try spriteRequest.validate()
        } else {
            if every != nil || columns != nil || rows != nil {
                throw ThumbnailUsageError("--every, --columns and --rows need --sprite")
            }
            try stillRequest().validate()
        }
    }

    private func make() throws {
        let result: ThumbnailResult
        do {
            for path in try outputPaths() { try Overwrite.check(path, allowed: force) }
            let still = sprite ? nil : try stillRequest()
            result = try Interrupts.stoppingOnSignal { cancellation in
                if let still { return try Thumbnailer.thumbnail(still, cancellation: cancellation, overwrite: force) }
                return try SpriteSheet.make(spriteRequest, cancellation: cancellation, overwrite: force)
            }
        } catch let error as ReelError {
            throw error
        } catch {
            throw ReelError.failed("thumbnail", error)
        }
        if format.json {
            try printJSON(result)
            return
        }
        for image in result.outputs {
            print("\(image.path)  \(image.width)x\(image.height)  at \(String(format: "%.3f", image.at)) s")
        }
        if let vtt = result.vtt { print(vtt) }
    }

    /// Every file the command would write: the image, or a sprite's sheet(s) and its .vtt.
    private func outputPaths() throws -> [String] {
        sprite ? try SpriteSheet.outputPaths(for: spriteRequest) : [output ?? defaultOutput]
    }

    private var defaultOutput: String {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return sprite ? "\(name)-sprite.jpg" : "\(name).jpg"
    }

    private func stillRequest() throws -> ThumbnailRequest {
        ThumbnailRequest(
            input: file, output: output ?? defaultOutput, at: try at.map { try ThumbnailTime(parsing: $0) } ?? .best,
            size: ThumbnailSize(width: width, height: height), quality: quality ?? ThumbnailRequest.defaultQuality,
            pixelLimit: pixelLimit.limit)
    }

    private var spriteRequest: SpriteRequest {
        SpriteRequest(
            input: file, output: output ?? defaultOutput, every: every,
            columns: columns ?? SpriteRequest.defaultColumns,
            rows: rows, size: SpriteRequest.tileSize(width: width, height: height),
            quality: quality ?? SpriteRequest.defaultQuality, pixelLimit: pixelLimit.limit)
    }
}

/// A combination of options that cannot work together.
struct ThumbnailUsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
