import Foundation
import ReelAV
import ReelLibrary

/// The `stitch` stage: joins its inputs in order (copying when it can, re-encoding when it must) into a library
/// item whose lineage lists the inputs in order with the parameters used. The stitch is written straight into the
/// library's staging folder (where `library verify` finds what a crash leaves) and adopted from there.
enum StitchStage {
    /// Stitches and ingests the result. `progress` hears the fraction of the output written, at most ten times a
    /// second; `cancellation` stops the stitch where it is.
    static func run(
        _ parameters: StitchParameters, inputs: [StageOutcome], stage: Stage, library: Library,
        cancellation: CancellationFlag, progress: (Double) -> Void
    ) throws -> StageOutcome {
        let videos = try inputs.map { try $0.video(for: stage) }
        let paths = videos.compactMap(\.path)
        let staging = try library.makeStagingFile(ext: "mp4")
        let options = StitchOptions(
            mode: parameters.mode, width: parameters.size?.width, height: parameters.size?.height,
            frameRate: parameters.fps.flatMap { Rational(framesPerSecond: $0) }, fit: parameters.fit,
            audioSampleRate: parameters.audioRate ?? 48000, audioChannels: parameters.audioChannels ?? 2,
            preset: parameters.preset ?? "veryfast", crf: parameters.crf ?? 23, pixelLimit: parameters.pixelLimit)
        let clock = ContinuousClock()
        var lastReport = clock.now - .seconds(1)
        let result = try Stitcher.stitch(
            inputs: paths, to: staging.path, options: options, cancellation: cancellation, inPlace: true,
            progress: { done in
                guard done.totalSeconds > 0, clock.now - lastReport >= .milliseconds(100) else { return }
                lastReport = clock.now
                progress(min(1, done.seconds / done.totalSeconds))
            })
        // The reason names files; in the library they are named by hash, so say which stage each came from.
        var reason = result.reason
        for (path, id) in zip(paths, stage.inputs) {
            reason = reason.replacingOccurrences(of: (path as NSString).lastPathComponent, with: "\"\(id)\"")
        }
        let recipe = String(
            decoding: try JSONEncoder().encode(["mode": result.mode.rawValue, "reason": reason]), as: UTF8.self)
        let lineage = videos.enumerated().compactMap { ordinal, video in
            video.itemID.map { LineageInput(itemID: $0, role: "input", ordinal: ordinal, parametersJSON: recipe) }
        }
        let info = try MediaInfo.probe(staging.path)
        try staging.adoptWrittenBytes()
        let ingested = try library.ingest(
            staging,
            IngestRequest(
                name: "\(stage.id).mp4", kind: .video, ext: "mp4", sourceType: .stitched, media: ItemMedia(info),
                inputs: lineage, origin: "stitch stage \"\(stage.id)\""))
        return StageOutcome(
            outputs: [StageOutput(role: "video", ingest: ingested, media: info)],
            warnings: [reason])
    }
}
