import Foundation
import ReelAV
import ReelPipeline
import ReelTestSupport
import Testing

/// `pipelines/schema.json` is written by hand for editors and other tools; these tests hold it to the rules the
/// stage types and option types define, so the two cannot drift apart.
@Suite("pipelines/schema.json agrees with the rules")
struct SchemaRulesTests {
    static var schema: [String: Any] {
        let path = Fixtures.packageRoot.appendingPathComponent("pipelines/schema.json")
        let data = (try? Data(contentsOf: path)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// The object at a path of keys (`["$defs", "stitch", "properties"]`).
    static func node(_ keys: [String]) -> [String: Any] {
        keys.reduce(schema as Any?) { ($0 as? [String: Any])?[$1] } as? [String: Any] ?? [:]
    }

    /// The non-param branch of a field that also takes `${param}`: its `enum`, `minimum`, `maximum`…
    static func values(_ keys: [String]) -> [String: Any] {
        let field = node(keys)
        let branches = field["oneOf"] as? [[String: Any]] ?? [field]
        return branches.first { ($0["pattern"] as? String)?.hasPrefix("^\\$") != true } ?? [:]
    }

    @Test("the schema's top-level properties are the fields the loader reads, and it allows no others")
    func topLevelFields() {
        #expect(Set(Self.node(["properties"]).keys) == Set(Pipeline.topLevelFields))
        #expect(Self.schema["additionalProperties"] as? Bool == false)
    }

    @Test(
        "each stage type's fields are the schema's properties, and every type is in the schema",
        arguments: StageType.allCases)
    func fields(_ type: StageType) {
        let properties = Self.node(["$defs", type.rawValue, "properties"])
        #expect(!properties.isEmpty, "no $defs.\(type.rawValue) in the schema")
        #expect(Set(properties.keys) == Set(["id", "type"] + type.definition.fields))
        #expect(Self.node(["$defs", type.rawValue]).keys.contains("additionalProperties"))
    }

    @Test("stitch: modes, fits, presets, sample rates and the ranges of crf, channels and fps")
    func stitch() {
        let video = ["$defs", "stitch", "properties", "video", "properties"]
        let audio = ["$defs", "stitch", "properties", "audio", "properties"]
        #expect(
            Self.node(["$defs", "stitch", "properties", "mode"])["enum"] as? [String]
                == StitchMode.allCases.map(\.rawValue))
        #expect(Self.values(video + ["fit"])["enum"] as? [String] == FitMode.allCases.map(\.rawValue))
        #expect(Self.values(video + ["preset"])["enum"] as? [String] == StitchOptions.presets)
        #expect(Self.values(video + ["codec"])["enum"] as? [String] == VideoCodec.allCases.map(\.rawValue))
        #expect(
            Self.node(["$defs", "stitch", "properties", "format"])["enum"] as? [String]
                == StitchContainer.allCases.map(\.rawValue))
        // The schema takes what some container or codec takes; the rules narrow it by the container and codec.
        #expect(Self.values(audio + ["rate"])["enum"] as? [Int] == StitchContainer.mp4.audioSampleRates.sorted())
        #expect(Set(StitchContainer.webm.audioSampleRates).isSubset(of: StitchContainer.mp4.audioSampleRates))
        #expect(Self.values(video + ["crf"])["minimum"] as? Int == VideoCodec.allCases.map(\.crfs.lowerBound).min())
        #expect(Self.values(video + ["crf"])["maximum"] as? Int == VideoCodec.allCases.map(\.crfs.upperBound).max())
        #expect(Self.values(audio + ["channels"])["minimum"] as? Int == StitchOptions.audioChannelCounts.lowerBound)
        #expect(Self.values(audio + ["channels"])["maximum"] as? Int == StitchOptions.audioChannelCounts.upperBound)
        #expect(Self.values(video + ["fps"])["minimum"] as? Double == StitchOptions.framesPerSecond.lowerBound)
        #expect(Self.values(video + ["fps"])["maximum"] as? Double == StitchOptions.framesPerSecond.upperBound)
        let overlay = ["$defs", "stitch", "properties", "overlay", "properties"]
        #expect(Set(Self.node(overlay).keys) == Set(StitchStage.overlayFields))
        #expect(Self.values(overlay + ["scale"])["minimum"] as? Double == Overlay.scales.lowerBound)
        #expect(Self.values(overlay + ["scale"])["maximum"] as? Double == Overlay.scales.upperBound)
        let position = Self.values(overlay + ["position"])["pattern"] as? String ?? ""
        for corner in OverlayPlacement.Corner.allCases { #expect(position.contains(corner.rawValue)) }
        let music = ["$defs", "stitch", "properties", "music", "properties"]
        #expect(Set(Self.node(music).keys) == Set(StitchStage.musicFields))
        #expect(Self.values(music + ["volume"])["minimum"] as? Double == MusicBed.volumes.lowerBound)
        #expect(Self.values(music + ["volume"])["maximum"] as? Double == MusicBed.volumes.upperBound)
        let loudness = ["$defs", "stitch", "properties", "loudness", "properties"]
        #expect(Set(Self.node(loudness).keys) == Set(StitchStage.loudnessFields))
        #expect(Self.values(loudness + ["target"])["minimum"] as? Double == Loudness.targets.lowerBound)
        #expect(Self.values(loudness + ["target"])["maximum"] as? Double == Loudness.targets.upperBound)
        #expect(Self.values(loudness + ["true_peak"])["minimum"] as? Double == Loudness.truePeaks.lowerBound)
        #expect(Self.values(loudness + ["true_peak"])["maximum"] as? Double == Loudness.truePeaks.upperBound)
        #expect(Self.values(loudness + ["per"])["enum"] as? [String] == Loudness.Scope.allCases.map(\.rawValue))
    }

    @Test("thumbnail: formats, quality 1-31, sides up to the largest, sprite fields")
    func thumbnail() {
        let fields = ["$defs", "thumbnail", "properties"]
        #expect(Self.values(fields + ["format"])["enum"] as? [String] == ImageFormat.extensions)
        #expect(Self.values(fields + ["quality"])["minimum"] as? Int == 1)
        #expect(Self.values(fields + ["quality"])["maximum"] as? Int == 31)
        for side in ["width", "height"] {
            #expect(Self.values(fields + [side])["maximum"] as? Int == ThumbnailSize.largestSide)
            #expect(
                Self.values(fields + ["sprite", "properties", side])["maximum"] as? Int == ThumbnailSize.largestSide)
        }
        #expect(
            Set(Self.node(fields + ["sprite", "properties"]).keys) == ["every", "columns", "rows", "width", "height"])
    }

    @Test("fetch: the source types a fetch may record")
    func fetch() {
        #expect(
            Self.values(["$defs", "fetch", "properties", "source_type"])["enum"] as? [String] == [
                "generated", "uploaded",
            ])
    }

    @Test("expect.similar_to: the threshold ranges and defaults of SimilarityThresholds, reference required")
    func similarTo() {
        let similar = ["$defs", "expectation", "properties", "similar_to"]
        let fields = similar + ["properties"]
        let defaults = SimilarityThresholds.defaults
        let rules: [(String, ClosedRange<Double>, Double)] = [
            ("ssim", SimilarityThresholds.ssimRange, defaults.ssim),
            ("psnr", SimilarityThresholds.psnrRange, defaults.psnr),
            ("av_offset_ms", SimilarityThresholds.avOffsetRange, defaults.avOffsetMilliseconds),
            ("audio_difference_db", SimilarityThresholds.audioDifferenceRange, defaults.audioDifferenceDecibels),
        ]
        for (key, range, value) in rules {
            #expect(Self.node(fields + [key])["minimum"] as? Double == range.lowerBound, "\(key)")
            #expect(Self.node(fields + [key])["maximum"] as? Double == range.upperBound, "\(key)")
            #expect(Self.node(fields + [key])["default"] as? Double == value, "\(key)")
        }
        #expect(Self.node(similar)["required"] as? [String] == ["reference"])
        #expect(Set(Self.node(fields).keys) == ["reference", "ssim", "psnr", "av_offset_ms", "audio_difference_db"])
    }
}
