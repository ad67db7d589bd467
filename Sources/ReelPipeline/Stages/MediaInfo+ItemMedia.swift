import Foundation
import ReelAV
import ReelLibrary

extension ItemMedia {
    /// The catalog's summary of a probe, with the whole probe kept as JSON.
    public init(_ info: MediaInfo) {
        let video = info.video
        let audio = info.audio
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.init(
            duration: info.duration ?? video?.duration ?? audio?.duration, width: video?.width,
            height: video?.height, displayWidth: video?.displayWidth, displayHeight: video?.displayHeight,
            aspectRatio: video?.displayAspectRatio?.ratioString, videoCodec: video?.codec, fps: video?.fps,
            audioCodec: audio?.codec, audioRate: audio?.sampleRate, audioChannels: audio?.channels,
            probeJSON: (try? encoder.encode(info)).map { String(decoding: $0, as: UTF8.self) })
    }
}

extension ItemKind {
    /// What a probed file is: a still image codec makes a thumbnail, moving pictures a video.
    public init(_ info: MediaInfo) {
        guard let video = info.video else {
            self = info.audio == nil ? .other : .video
            return
        }
        let stills: Set<String> = ["mjpeg", "png", "webp", "bmp", "tiff"]
        self = stills.contains(video.codec) && (video.frameCount ?? 1) <= 1 ? .thumbnail : .video
    }
}

/// Adding existing files to the library: probe in-process, then ingest (the `reel library import` command and
/// the fetch stage's local paths share this).
public enum LibraryImport {
    /// Probes `path` and ingests it. Unless `kind` is `.other` or `.vtt`, a file that is not usable media is
    /// refused as ``MediaAcceptance`` says: not media at all, no audio or video stream, or truncated (kept only
    /// with `allowTruncated`). Returns the ingest and what the probe found.
    public static func importFile(
        _ path: String, into library: Library, name: String? = nil, kind: ItemKind? = nil,
        sourceType: SourceType = .uploaded, generation: GenerationInfo? = nil, inputs: [LineageInput] = [],
        save: Bool = false, allowTruncated: Bool = false
    ) throws -> (result: IngestResult, info: MediaInfo?) {
        let ext = (path as NSString).pathExtension.lowercased()
        var info: MediaInfo?
        if kind != .other && kind != .vtt {
            let probed = try MediaInfo.probe(path)
            try MediaAcceptance(allowTruncated: allowTruncated).check(probed)
            info = probed
        } else if !FileManager.default.isReadableFile(atPath: path) {
            throw AVError.fileNotFound(path: path)
        }
        let result = try library.ingest(
            copying: path,
            IngestRequest(
                name: name ?? (path as NSString).lastPathComponent, kind: kind ?? info.map(ItemKind.init) ?? .other,
                ext: ext, sourceType: sourceType, media: info.map(ItemMedia.init), generation: generation,
                inputs: inputs, save: save, origin: path))
        return (result, info)
    }
}
