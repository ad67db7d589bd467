import Foundation
import ReelAV
import ReelLibrary

/// The `thumbnail` stage: a poster frame or a sprite sheet with its WebVTT index, each a library item linked to the
/// video it was taken from. The pictures are encoded in memory and written once, into the library's staging
/// folder, hashed as they are written. Its options are ReelAV's requests, checked by their own rules, the ones
/// `reel thumbnail` checks its flags with.
public struct ThumbnailStage: StageDefinition {
    public static let fields = ["input", "at", "width", "height", "quality", "format", "sprite", "max_pixels"]
    public static let produces = StageProduct.image
    public static let inputField = "input"

    /// A still or a sheet, as ReelAV is asked for it (its input and output names are set when it runs).
    public enum Shape: Sendable, Hashable {
        case still(ThumbnailRequest)
        case sprite(SpriteRequest)
    }

    public var input: String
    public var shape: Shape

    public init?(reading reader: ObjectReader) {
        let input = reader.inputStage()?.first
        let formatName = reader.string("format") ?? "jpg"
        let imageFormat = ImageFormat(extension: formatName)
        if imageFormat == nil {
            reader.report(
                "format",
                "must be one of \(ImageFormat.extensions.joined(separator: ", ")), not \"\(formatName)\""
                    + suggestion(for: formatName, among: ImageFormat.extensions))
        }
        let output = "thumbnail.\((imageFormat ?? .jpeg).fileExtension)"
        var width = reader.integer("width")
        var height = reader.integer("height")
        let quality = reader.integer("quality")
        let pixelLimit = reader.pixelLimit() ?? .standard
        var shape: Shape?
        if let sprite = reader.object("sprite") {
            sprite.rejectUnknown(allowing: ["every", "columns", "rows", "width", "height"])
            if reader.has("at") { reader.report("at", "a sprite takes frames every N seconds; drop \"at\"") }
            for side in ["width", "height"] where sprite.has(side) {
                if reader.has(side) { reader.report(side, "give the tile \(side) once, here or in \"sprite\"") }
            }
            width = sprite.integer("width") ?? width
            height = sprite.integer("height") ?? height
            shape = .sprite(
                SpriteRequest(
                    input: "", output: output, every: sprite.number("every"),
                    columns: sprite.integer("columns") ?? SpriteRequest.defaultColumns, rows: sprite.integer("rows"),
                    size: SpriteRequest.tileSize(width: width, height: height),
                    quality: quality ?? SpriteRequest.defaultQuality, pixelLimit: pixelLimit))
        } else {
            var at = ThumbnailTime.best
            do throws(ThumbnailError) {
                switch reader.fields["at"] {
                case .number(let seconds)?: at = try ThumbnailTime(parsing: format(seconds))
                case .string?: if let text = reader.string("at") { at = try ThumbnailTime(parsing: text) }
                case nil: break
                case let value?: throw .malformedTime(value.typeName)
                }
            } catch {
                reader.report("at", error.rule ?? error.description)
            }
            shape = .still(
                ThumbnailRequest(
                    input: "", output: output, at: at, size: ThumbnailSize(width: width, height: height),
                    quality: quality ?? ThumbnailRequest.defaultQuality, pixelLimit: pixelLimit))
        }
        do throws(ThumbnailError) {
            switch shape {
            case .still(let request)?: try request.validate()
            case .sprite(let request)?: try request.validate()
            case nil: break
            }
        } catch {
            reader.report(error.field.map { Self.fieldPath($0, in: reader) }, error.rule ?? error.description)
        }
        guard let input, let shape else { return nil }
        self.input = input
        self.shape = shape
    }

    /// Where a request's field is written: sprite fields (and a tile side given there) under `sprite`.
    private static func fieldPath(_ field: String, in reader: ObjectReader) -> String {
        let sprite = reader.fields["sprite"]
        let inSprite: Bool
        if case .object(let members) = sprite { inSprite = members[field] != nil } else { inSprite = false }
        return inSprite || ["every", "columns", "rows"].contains(field) ? "sprite.\(field)" : field
    }

    public var inputs: [String] { [input] }

    /// The request as ReelAV runs it, every default filled in.
    public var cacheParameters: [String: String] {
        switch shape {
        case .still(let request):
            [
                "at": Self.canonical(request.at), "width": request.size.width.map(String.init) ?? "display",
                "height": request.size.height.map(String.init) ?? "display", "quality": String(request.quality),
                "format": Self.formatName(request.output), "max_pixels": String(request.pixelLimit.maxPixels),
            ]
        case .sprite(let request):
            [
                "sprite.every": request.every.map { format($0) } ?? "spread",
                "sprite.columns": String(request.columns), "sprite.rows": request.rows.map(String.init) ?? "all",
                "width": request.size.width.map(String.init) ?? "display",
                "height": request.size.height.map(String.init) ?? "display", "quality": String(request.quality),
                "format": Self.formatName(request.output), "max_pixels": String(request.pixelLimit.maxPixels),
            ]
        }
    }

    private static func formatName(_ output: String) -> String { ImageFormat(path: output)?.rawValue ?? output }

    private static func canonical(_ at: ThumbnailTime) -> String {
        switch at {
        case .seconds(let seconds): "\(format(seconds))s"
        case .percent(let percent): "\(format(percent))%"
        case .best: "best"
        }
    }

    public func run(_ inputs: [StageOutcome], in context: StageContext) async throws -> StageOutcome {
        let video = try inputs.first?.video(for: context.stageID)
        guard let video, let path = video.path, let videoID = video.itemID else {
            throw StageError.noInputFile(stage: context.stageID)
        }
        let shape = shape
        return try await offThePool { cancellation in
            try Self.render(shape, of: path, videoID: videoID, context: context, cancellation: cancellation)
        }
    }

    private static func render(
        _ shape: Shape, of path: String, videoID: String, context: StageContext, cancellation: CancellationFlag
    ) throws -> StageOutcome {
        switch shape {
        case .still(var request):
            request.input = path
            request.output = Self.named(request.output, context)
            let (_, files) = try Thumbnailer.render(request, cancellation: cancellation)
            let outputs = try files.map { file in
                try ingest(file, kind: .thumbnail, role: "thumbnail-of", of: videoID, context: context)
            }
            return StageOutcome(outputs: outputs.map { StageOutput(role: "poster", ingest: $0.result, media: $0.info) })
        case .sprite(var request):
            request.input = path
            request.output = Self.named(request.output, context)
            let (result, files) = try SpriteSheet.render(request, cancellation: cancellation)
            var outputs: [StageOutput] = []
            var cueTargets: [String: String] = [:]
            for file in files where file.path != result.vtt {
                let imported = try ingest(file, kind: .sprite, role: "sprite-of", of: videoID, context: context)
                outputs.append(StageOutput(role: "sprite", ingest: imported.result, media: imported.info))
                cueTargets[file.path] = imported.result.item.path
            }
            if var vtt = files.first(where: { $0.path == result.vtt }) {
                vtt.bytes = pointingCues(of: vtt.bytes, at: cueTargets)
                let imported = try ingest(vtt, kind: .vtt, role: "vtt-of", of: videoID, context: context)
                outputs.append(StageOutput(role: "vtt", ingest: imported.result, media: nil))
            }
            return StageOutcome(outputs: outputs)
        }
    }

    /// `thumbnail.jpg` named after the stage: `poster.jpg`.
    private static func named(_ output: String, _ context: StageContext) -> String {
        "\(context.stageID).\((output as NSString).pathExtension)"
    }

    /// The WebVTT with its cue targets (`scrub.jpg#xywh=…`) rewritten to the stored sheets, relative to where the
    /// VTT itself is stored (`../ab/<sha256>.jpg#xywh=…`: every object sits one folder below `objects/`), so a
    /// player reading the VTT from the library finds the sheets.
    private static func pointingCues(of vtt: [UInt8], at stored: [String: String]) -> [UInt8] {
        var text = String(decoding: vtt, as: UTF8.self)
        for (name, path) in stored {
            let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            text = text.replacingOccurrences(
                of: "\n\(name)#xywh=", with: "\n../\(folder)/\((path as NSString).lastPathComponent)#xywh=")
        }
        return Array(text.utf8)
    }

    /// Writes `file` into staging (hashed as it goes), probes it unless it is the index, and ingests it.
    private static func ingest(
        _ file: ThumbnailFile, kind: ItemKind, role: String, of videoID: String, context: StageContext
    ) throws -> (result: IngestResult, info: MediaInfo?) {
        let library = context.library
        let ext = (file.path as NSString).pathExtension.lowercased()
        // Named with the extension, so the probe reads it as the image file it is.
        let staging = try library.makeStagingFile(ext: ext)
        try staging.write(Data(file.bytes))
        let info = kind == .vtt ? nil : try MediaInfo.probe(staging.path)
        let result = try library.ingest(
            staging,
            IngestRequest(
                name: file.path, kind: kind, ext: ext,
                sourceType: .stitched, media: info.map(ItemMedia.init),
                inputs: [LineageInput(itemID: videoID, role: role, ordinal: 0)],
                origin: "thumbnail stage \"\(context.stageID)\""))
        return (result, info)
    }
}
