import Foundation
import ReelAV
import ReelLibrary

/// The `stitch` stage: joins its inputs in order (copying when it can, re-encoding when it must) into a library
/// item whose lineage lists the inputs in order with the parameters used. The stitch is written straight into the
/// library's staging folder (where `library verify` finds what a crash leaves) and adopted from there, hashed once.
public struct StitchStage: StageDefinition {
    public static let fields = [
        "inputs", "mode", "format", "transition", "fade", "overlay", "loudness", "music", "video", "audio",
    ]
    public static let produces = StageProduct.video
    /// The fields of the `overlay` object.
    public static let overlayFields = ["stage", "position", "margin", "scale", "opacity", "from", "until"]
    /// The fields of the `music` object.
    public static let musicFields = ["stage", "volume", "fade_in", "fade_out", "loop"]
    /// The fields of the `loudness` object.
    public static let loudnessFields = ["target", "true_peak", "per"]

    /// Where each option is written in a stitch stage.
    public static let fieldPaths: [StitchOptions.Field: String] = [
        .size: "video.size", .frameRate: "video.fps", .codec: "video.codec", .preset: "video.preset", .crf: "video.crf",
        .audioSampleRate: "audio.rate", .audioChannels: "audio.channels", .trim: "inputs", .fade: "fade",
        .imageDuration: "inputs", .transition: "transition", .overlay: "overlay", .loudness: "loudness",
        .music: "music",
    ]

    /// One part of the output, in order: a stage's video or image, or a colour card.
    public enum Part: Sendable, Hashable {
        case stage(String)
        /// An input `color:…` as ``Stitcher`` takes it.
        case card(String)
    }

    /// The parts, in order.
    public var parts: [Part]
    /// The stage whose picture is laid over the output (``StitchOptions/overlay`` takes its file at run time).
    public var overlayStage: String?
    /// The stage whose sound is mixed under the output (``StitchOptions/music`` takes its file at run time).
    public var musicStage: String?
    /// The stages of the parts, in order, then the overlay's and the music's.
    public var inputs: [String] {
        parts.compactMap { part in
            guard case .stage(let id) = part else { return nil }
            return id
        } + [overlayStage, musicStage].compactMap { $0 }
    }
    /// The container written (`format`, default MP4).
    public var container: StitchContainer
    /// The options the stitch runs with, defaults filled in.
    public var options: StitchOptions

    public init?(reading reader: ObjectReader) {
        var options = StitchOptions()
        let parts = Self.parts(reader, into: &options)
        options.mode = reader.choice("mode", StitchMode.self) ?? options.mode
        let container = reader.choice("format", StitchContainer.self) ?? .mp4
        if let transition = reader.object("transition") { options.transition = Self.transition(transition) }
        if let fade = reader.object("fade") {
            fade.rejectUnknown(allowing: ["in", "out"])
            options.fade = Fade(in: fade.number("in") ?? 0, out: fade.number("out") ?? 0)
        }
        if let overlay = reader.object("overlay") {
            overlayStage = overlay.string("stage", required: true)
            options.overlay = Self.overlay(overlay)
        }
        if let music = reader.object("music") {
            music.rejectUnknown(allowing: Self.musicFields)
            musicStage = music.string("stage", required: true)
            let defaults = MusicBed(path: "")
            options.music = MusicBed(
                path: "", volume: music.number("volume") ?? defaults.volume,
                fadeIn: music.number("fade_in") ?? defaults.fadeIn,
                fadeOut: music.number("fade_out") ?? defaults.fadeOut,
                loops: music.bool("loop") ?? defaults.loops)
        }
        if let loudness = reader.object("loudness") {
            loudness.rejectUnknown(allowing: Self.loudnessFields)
            let defaults = Loudness()
            options.loudness = Loudness(
                target: loudness.number("target") ?? defaults.target,
                truePeak: loudness.number("true_peak") ?? defaults.truePeak,
                scope: loudness.choice("per", Loudness.Scope.self) ?? defaults.scope)
        }
        var readable = true
        if let video = reader.object("video") {
            video.rejectUnknown(allowing: ["size", "fps", "fit", "codec", "preset", "crf", "max_pixels"])
            if video.has("size") {
                let size = video.frameSize("size")
                options.width = size?.width
                options.height = size?.height
                readable = readable && size != nil
            }
            if video.has("fps") {
                options.frameRate = video.frameRate("fps")
                readable = readable && options.frameRate != nil
            }
            options.fit = video.choice("fit", FitMode.self) ?? options.fit
            options.videoCodec = video.choice("codec", VideoCodec.self)
            options.preset = video.string("preset") ?? options.preset
            options.crf = video.integer("crf") ?? options.crf
            options.pixelLimit = video.pixelLimit() ?? options.pixelLimit
        }
        if let audio = reader.object("audio") {
            audio.rejectUnknown(allowing: ["rate", "channels"])
            options.audioSampleRate = audio.integer("rate") ?? options.audioSampleRate
            options.audioChannels = audio.integer("channels") ?? options.audioChannels
        }
        if readable {
            for problem in options.problems(in: container) {
                reader.report(Self.fieldPaths[problem.field], problem.message)
            }
        }
        guard let parts else { return nil }
        self.parts = parts
        self.container = container
        self.options = options
    }

    /// The parts in `inputs`, each a stage id, `{"stage", "in", "out", "duration", "transition"}` or a colour card
    /// `{"color", "duration", "transition"}`; trims, still durations and transitions go into `options` by position.
    private static func parts(_ reader: ObjectReader, into options: inout StitchOptions) -> [Part]? {
        guard let items = reader.items("inputs", required: true) else { return nil }
        if items.isEmpty { reader.report("inputs", "must name at least one stage") }
        var parts: [Part] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let stage): parts.append(.stage(stage))
            case .object(let input):
                input.rejectUnknown(allowing: ["stage", "color", "in", "out", "duration", "transition"])
                if input.has("color") {
                    guard let card = card(input) else { continue }
                    parts.append(.card(card))
                } else {
                    guard let stage = input.string("stage", required: true) else { continue }
                    parts.append(.stage(stage))
                }
                let trim = Trim(start: input.clipTime("in"), end: input.clipTime("out"))
                if trim != Trim() { options.trims[index + 1] = trim }
                if let duration = input.number("duration") { options.imageDurations[index + 1] = duration }
                if let transition = input.object("transition") {
                    if index == 0 {
                        transition.report(nil, "the first input has no input before it to come from")
                    } else if let transition = Self.transition(transition) {
                        options.transitions[index + 1] = transition
                    }
                }
            }
        }
        return parts.count == items.count ? parts : nil
    }

    /// A colour card object: `color` a name or `#RRGGBB`, with the `duration` it is shown.
    private static func card(_ input: ObjectReader) -> String? {
        if input.has("stage") { input.report("color", "a colour card is not a stage: give stage or color, not both") }
        if input.has("in") || input.has("out") { input.report(nil, "a colour card has no in or out: give a duration") }
        if !input.has("duration") { input.report("duration", "is required for a colour card: the seconds it is shown") }
        guard let text = input.string("color") else { return nil }
        guard CardColor(text) != nil else {
            input.report(
                "color",
                "\"\(text)\" is not a colour: \(CardColor.accepted)"
            )
            return nil
        }
        return CardColor.prefix + text
    }

    /// An overlay object: `{"stage", "position", "margin", "scale", "opacity", "from", "until"}`, the stage's file
    /// given at run time.
    private static func overlay(_ reader: ObjectReader) -> Overlay {
        reader.rejectUnknown(allowing: overlayFields)
        var overlay = Overlay(path: "")
        if let text = reader.string("position") {
            if let placement = OverlayPlacement(text) {
                overlay.placement = placement
            } else {
                reader.report("position", "\"\(text)\" is not \(OverlayPlacement.syntax)")
            }
        }
        overlay.margin = reader.integer("margin") ?? overlay.margin
        overlay.scale = reader.number("scale") ?? overlay.scale
        overlay.opacity = reader.number("opacity") ?? overlay.opacity
        overlay.from = reader.number("from") ?? overlay.from
        overlay.until = reader.number("until")
        return overlay
    }

    /// A transition object: `{"type": STYLE, "duration": SECONDS}` (`{"type": "cut"}` needs no duration).
    private static func transition(_ reader: ObjectReader) -> Transition? {
        reader.rejectUnknown(allowing: ["type", "duration"])
        guard let style = reader.choice("type", TransitionStyle.self) else {
            if !reader.has("type") { reader.report("type", "is required") }
            return nil
        }
        guard style != .cut else { return Transition(.cut, duration: 0) }
        guard let duration = reader.number("duration") else {
            if !reader.has("duration") { reader.report("duration", "is required: the seconds the inputs overlap") }
            return nil
        }
        return Transition(style, duration: duration)
    }

    /// When every input is a local file known before the run (a fetch of a path), the stitch is planned on them:
    /// options the inputs cannot take (a trim past an input's end, a transition longer than an input, a still
    /// without a duration) are refused by `validate`, not found at run time. An input that cannot be read is left
    /// to its fetch stage.
    public func problems(in environment: StageEnvironment) -> [(field: String?, message: String)] {
        let known = parts.compactMap { part in
            switch part {
            case .stage(let id):
                environment.knownFiles[id].flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            case .card(let card): card
            }
        }
        guard known.count == parts.count else { return [] }
        let extras = [overlayStage, musicStage].compactMap { $0 }
        guard extras.allSatisfy({ environment.knownFiles[$0].map(FileManager.default.fileExists) ?? false }) else {
            return []
        }
        var options = options
        if let overlayStage { options.overlay?.path = environment.knownFiles[overlayStage] ?? "" }
        if let musicStage { options.music?.path = environment.knownFiles[musicStage] ?? "" }
        do {
            _ = try Stitcher.plan(inputs: known, options: options, container: container)
            return []
        } catch .invalidOption(let problem) {
            return [(nil, problem)]
        } catch .overlay(_, let cause) {
            return [("overlay", cause)]
        } catch .music(_, let cause) {
            return [("music", cause)]
        } catch {
            // An input that cannot be read is its fetch stage's failure, reported when it runs.
            return []
        }
    }

    /// Every option, resolved: a size or rate left to the first input is `first-input`, not a default.
    public var cacheParameters: [String: String] {
        var parameters = [
            "mode": options.mode.rawValue, "format": container.rawValue,
            "size": options.width.map { "\($0)x\(options.height ?? 0)" } ?? "first-input",
            "fps": options.frameRate?.reduced.description ?? "first-input",
            "fit": options.fit.rawValue, "codec": options.videoCodec?.rawValue ?? "h264-or-copied",
            "preset": options.preset, "crf": String(options.crf),
            "audio.rate": String(options.audioSampleRate), "audio.channels": String(options.audioChannels),
            "encoder_threads": String(options.encoderThreads), "max_pixels": String(options.pixelLimit.maxPixels),
        ]
        if let fade = options.fade { parameters["fade"] = "\(fade.fadeIn):\(fade.fadeOut)" }
        if let overlay = options.overlay { parameters["overlay"] = overlay.written }
        if let music = options.music { parameters["music"] = music.written }
        if let loudness = options.loudness { parameters["loudness"] = loudness.written }
        let cards = parts.enumerated().compactMap { position, part -> String? in
            guard case .card(let card) = part else { return nil }
            return "\(position + 1)=\(card)"
        }
        if !cards.isEmpty { parameters["cards"] = cards.joined(separator: " ") }
        if let transition = options.transition { parameters["transition"] = transition.written }
        if !options.transitions.isEmpty {
            parameters["transitions"] = options.transitions.sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value.written)"
            }
            .joined(separator: " ")
        }
        if !options.imageDurations.isEmpty {
            parameters["image_durations"] = options.imageDurations.sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value)"
            }
            .joined(separator: " ")
        }
        if !options.trims.isEmpty {
            parameters["trims"] = options.trims.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.written)" }
                .joined(separator: " ")
        }
        return parameters
    }

    /// Stitches and ingests the result. Progress is the fraction of the output written, at most ten times a second.
    public func run(_ inputs: [StageOutcome], in context: StageContext) async throws -> StageOutcome {
        let (parts, container) = (parts, container)
        var options = options
        var clips = inputs
        var music: Extra?
        if let id = musicStage, let bed = clips.popLast() {
            music = Extra(stage: id, output: try bed.video(for: context.stageID))
            options.music?.path = music?.output.path ?? ""
        }
        var overlay: Extra?
        if let id = overlayStage, let picture = clips.popLast() {
            overlay = Extra(stage: id, output: try picture.video(for: context.stageID))
            options.overlay?.path = overlay?.output.path ?? ""
        }
        return try await offThePool { [clips, overlay, music, options] cancellation in
            try Self.stitch(
                clips, overlay: overlay, music: music, parts: parts, options: options, container: container,
                context: context, cancellation: cancellation)
        }
    }

    /// The overlay's picture or the music bed: the stage it comes from and that stage's file.
    private struct Extra: Sendable {
        var stage: String
        var output: StageOutput
    }

    private static func stitch(
        _ inputs: [StageOutcome], overlay: Extra?, music: Extra?, parts: [Part], options: StitchOptions,
        container: StitchContainer, context: StageContext, cancellation: CancellationFlag
    ) throws -> StageOutcome {
        let videos = try inputs.map { try $0.video(for: context.stageID) }
        let paths = videos.compactMap(\.path)
        // The stages' files with the colour cards in their places, and for each part the stage it comes from.
        var stagePaths = paths.makeIterator()
        let sequence = parts.map { part in
            switch part {
            case .stage: stagePaths.next() ?? ""
            case .card(let card): card
            }
        }
        func stage(at position: Int) -> String? {
            guard parts.indices.contains(position - 1), case .stage(let id) = parts[position - 1] else { return nil }
            return id
        }
        let ext = container.rawValue
        let staging = try context.library.makeStagingFile(ext: ext)
        let clock = ContinuousClock()
        var lastReport = clock.now - .seconds(1)
        /// `text` with each input's file name (a hash, in the library) replaced by the stage it came from.
        func naming(_ text: String) -> String {
            zip(paths, context.inputIDs).reduce(text) { text, input in
                text.replacingOccurrences(of: (input.0 as NSString).lastPathComponent, with: "\"\(input.1)\"")
            }
        }
        let result: StitchResult
        do {
            result = try Stitcher.stitch(
                inputs: sequence, to: staging.path, options: options, cancellation: cancellation, inPlace: true,
                progress: { done in
                    guard done.totalSeconds > 0, clock.now - lastReport >= .milliseconds(100) else { return }
                    lastReport = clock.now
                    context.progress(min(1, done.seconds / done.totalSeconds))
                })
        } catch {
            // Inputs and the output are library files named by hash and a staging name: say which stage instead.
            switch error {
            case .input(let position, _, let cause) where stage(at: position) != nil:
                throw StitchError.input(position: position, path: "\"\(stage(at: position) ?? "")\"", cause: cause)
            case .output(_, let cause): throw StitchError.output(path: "\"\(context.stageID)\"", cause: cause)
            case .overlay(_, let cause): throw StitchError.overlay(path: "\"\(overlay?.stage ?? "")\"", cause: cause)
            case .music(_, let cause): throw StitchError.music(path: "\"\(music?.stage ?? "")\"", cause: cause)
            case .cannotCopy(let reason): throw StitchError.cannotCopy(naming(reason))
            default: throw error
            }
        }
        let reason = naming(result.reason)
        let recipe = String(
            decoding: try JSONEncoder().encode(["mode": result.mode.rawValue, "reason": reason]), as: UTF8.self)
        var lineage = videos.enumerated().compactMap { ordinal, video in
            video.itemID.map { LineageInput(itemID: $0, role: "input", ordinal: ordinal, parametersJSON: recipe) }
        }
        for (extra, role, written) in [
            (overlay, "overlay", options.overlay?.written), (music, "music", options.music?.written),
        ] {
            guard let itemID = extra?.output.itemID, let written else { continue }
            let parameters = String(decoding: try JSONEncoder().encode([role: written]), as: UTF8.self)
            lineage.append(LineageInput(itemID: itemID, role: role, ordinal: 0, parametersJSON: parameters))
        }
        let info = try MediaInfo.probe(staging.path)
        try staging.adoptWrittenBytes()
        let ingested = try context.library.ingest(
            staging,
            IngestRequest(
                name: "\(context.stageID).\(ext)", kind: .video, ext: ext, sourceType: .stitched,
                media: ItemMedia(info), inputs: lineage, origin: "stitch stage \"\(context.stageID)\""))
        return StageOutcome(
            outputs: [StageOutput(role: "video", ingest: ingested, media: info)],
            warnings: [reason] + result.loudness.map { "loudness \($0.line)" })
    }
}
