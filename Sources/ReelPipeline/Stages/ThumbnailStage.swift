import Foundation
import ReelAV
import ReelLibrary

/// The `thumbnail` stage: a poster frame or a sprite sheet with its WebVTT index, each a library item linked to the
/// video it was taken from. The pictures are encoded in memory and written once, into the library's staging
/// folder, hashed as they are written.
enum ThumbnailStage {
    static func run(
        _ parameters: ThumbnailParameters, input: StageOutcome, stage: Stage, library: Library,
        cancellation: CancellationFlag
    ) throws -> StageOutcome {
        let video = try input.video(for: stage)
        guard let path = video.path, let videoID = video.itemID else { throw StageError.noInputFile(stage: stage.id) }
        let ext = parameters.format == "png" ? "png" : "jpg"
        let size = ThumbnailSize(width: parameters.width, height: parameters.height)
        switch parameters.shape {
        case .frame(let at):
            let (_, files) = try Thumbnailer.render(
                ThumbnailRequest(
                    input: path, output: "\(stage.id).\(ext)", at: at, size: size, quality: parameters.quality ?? 2,
                    pixelLimit: parameters.pixelLimit),
                cancellation: cancellation)
            let outputs = try files.map { file in
                try ingest(file, kind: .thumbnail, role: "thumbnail-of", of: videoID, stage: stage, library: library)
            }
            return StageOutcome(outputs: outputs.map { StageOutput(role: "poster", ingest: $0.result, media: $0.info) })
        case .sprite(let every, let columns, let rows):
            let (result, files) = try SpriteSheet.render(
                SpriteRequest(
                    input: path, output: "\(stage.id).\(ext)", every: every, columns: columns, rows: rows,
                    size: parameters.width == nil && parameters.height == nil
                        ? ThumbnailSize(width: 160) : size, quality: parameters.quality ?? 3,
                    pixelLimit: parameters.pixelLimit),
                cancellation: cancellation)
            var outputs: [StageOutput] = []
            var cueTargets: [String: String] = [:]
            for file in files where file.path != result.vtt {
                let imported = try ingest(
                    file, kind: .sprite, role: "sprite-of", of: videoID, stage: stage, library: library)
                outputs.append(StageOutput(role: "sprite", ingest: imported.result, media: imported.info))
                cueTargets[file.path] = imported.result.item.path
            }
            if var vtt = files.first(where: { $0.path == result.vtt }) {
                vtt.bytes = pointingCues(of: vtt.bytes, at: cueTargets)
                let imported = try ingest(vtt, kind: .vtt, role: "vtt-of", of: videoID, stage: stage, library: library)
                outputs.append(StageOutput(role: "vtt", ingest: imported.result, media: nil))
            }
            return StageOutcome(outputs: outputs)
        }
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
        _ file: ThumbnailFile, kind: ItemKind, role: String, of videoID: String, stage: Stage, library: Library
    ) throws -> (result: IngestResult, info: MediaInfo?) {
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
                origin: "thumbnail stage \"\(stage.id)\""))
        return (result, info)
    }
}
