import Foundation
import ReelAV
import ReelLibrary

/// The `thumbnail` stage: a poster frame or a sprite sheet with its WebVTT index, each a library item linked to the
/// video it was taken from.
enum ThumbnailStage {
    static func run(
        _ parameters: ThumbnailParameters, input: StageOutcome, stage: Stage, library: Library,
        cancellation: CancellationFlag
    ) throws -> StageOutcome {
        let video = try input.video(for: stage)
        guard let path = video.path, let videoID = video.itemID else { throw StageError.noInputFile(stage: stage.id) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reel-\(stage.id)-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ext = parameters.format == "png" ? "png" : "jpg"
        let size = ThumbnailSize(width: parameters.width, height: parameters.height)
        switch parameters.shape {
        case .frame(let at):
            let result = try Thumbnailer.thumbnail(
                ThumbnailRequest(
                    input: path, output: scratch.appendingPathComponent("\(stage.id).\(ext)").path, at: at,
                    size: size, quality: parameters.quality ?? 2, pixelLimit: parameters.pixelLimit),
                cancellation: cancellation)
            let outputs = try result.outputs.map { image in
                try ingest(
                    image.path, kind: .thumbnail, role: "thumbnail-of", of: videoID, stage: stage, library: library)
            }
            return StageOutcome(outputs: outputs.map { StageOutput(role: "poster", ingest: $0.result, media: $0.info) })
        case .sprite(let every, let columns, let rows):
            let result = try SpriteSheet.make(
                SpriteRequest(
                    input: path, output: scratch.appendingPathComponent("\(stage.id).\(ext)").path, every: every,
                    columns: columns, rows: rows,
                    size: parameters.width == nil && parameters.height == nil
                        ? ThumbnailSize(width: 160) : size, quality: parameters.quality ?? 3,
                    pixelLimit: parameters.pixelLimit),
                cancellation: cancellation)
            var outputs: [StageOutput] = []
            var cueTargets: [String: String] = [:]
            for sheet in result.outputs {
                let imported = try ingest(
                    sheet.path, kind: .sprite, role: "sprite-of", of: videoID, stage: stage, library: library)
                outputs.append(StageOutput(role: "sprite", ingest: imported.result, media: imported.info))
                cueTargets[(sheet.path as NSString).lastPathComponent] = imported.result.item.path
            }
            if let vtt = result.vtt {
                try pointCues(of: vtt, at: cueTargets)
                let imported = try ingest(vtt, kind: .vtt, role: "vtt-of", of: videoID, stage: stage, library: library)
                outputs.append(StageOutput(role: "vtt", ingest: imported.result, media: nil))
            }
            return StageOutcome(outputs: outputs)
        }
    }

    /// Rewrites the WebVTT's cue targets (`scrub.jpg#xywh=…`) to the stored sheets, relative to where the VTT
    /// itself is stored (`../ab/<sha256>.jpg#xywh=…`: every object sits one folder below `objects/`), so a player
    /// reading the VTT from the library finds the sheets.
    private static func pointCues(of vtt: String, at stored: [String: String]) throws {
        var text = try String(contentsOfFile: vtt, encoding: .utf8)
        for (name, path) in stored {
            let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            text = text.replacingOccurrences(
                of: "\n\(name)#xywh=", with: "\n../\(folder)/\((path as NSString).lastPathComponent)#xywh=")
        }
        try text.write(toFile: vtt, atomically: true, encoding: .utf8)
    }

    private static func ingest(
        _ path: String, kind: ItemKind, role: String, of videoID: String, stage: Stage, library: Library
    ) throws -> (result: IngestResult, info: MediaInfo?) {
        try LibraryImport.importFile(
            path, into: library, name: (path as NSString).lastPathComponent, kind: kind,
            sourceType: .stitched, inputs: [LineageInput(itemID: videoID, role: role, ordinal: 0)])
    }
}
