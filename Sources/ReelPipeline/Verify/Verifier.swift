import Foundation
import ReelAV
import ReelLibrary

/// One check's verdict, as the manifest's `expect` entries and `reel verify` print them.
public struct CheckResult: Sendable, Equatable, Codable {
    /// The stage checked (empty for `reel verify`).
    public var stage: String
    /// What was checked: `duration`, `video.size`, `frames`, `frame 42`…
    public var check: String
    public var expected: String
    public var actual: String
    public var ok: Bool
}

/// Checks media files against expectations or a reference, decoding in-process.
public enum Verifier {
    /// Checks `path` against every field `expectation` sets; a failed `similar_to` writes its pictures in
    /// `pictures` when given.
    public static func check(
        _ path: String, against expectation: Expectation, pictures: String? = nil
    ) throws -> [CheckResult] {
        let file = try InputFile(path: path)
        let info = file.info
        var results: [CheckResult] = []
        func add(_ check: String, _ expected: String, _ actual: String, _ ok: Bool) {
            results.append(
                CheckResult(stage: expectation.stage, check: check, expected: expected, actual: actual, ok: ok))
        }
        let video = info.video
        let audio = info.audio
        if let range = expectation.duration {
            let duration = info.duration ?? video?.duration ?? 0
            let expected =
                range.lowerBound == range.upperBound
                ? seconds(range.lowerBound) : "\(seconds(range.lowerBound))–\(seconds(range.upperBound))"
            add("duration", expected, seconds(duration), range.contains(duration))
        }
        if let size = expectation.videoSize {
            // What a viewer sees (sample aspect ratio and rotation applied), as `library list` shows it.
            let actual =
                video.map { "\($0.displayWidth ?? $0.width ?? 0)x\($0.displayHeight ?? $0.height ?? 0)" } ?? "no video"
            add("video.size", size.description, actual, actual == size.description)
        }
        if let codec = expectation.videoCodec {
            let actual = video?.codec ?? "no video"
            add("video.codec", codec, actual, actual == codec)
        }
        if let fps = expectation.fps {
            let actual = video?.fps
            add(
                "video.fps", format(fps), actual.map { format(($0 * 1000).rounded() / 1000) } ?? "unknown",
                actual.map { abs($0 - fps) < 0.01 } ?? false)
        }
        if let present = expectation.hasAudio {
            add("audio", present ? "present" : "absent", audio == nil ? "absent" : "present", present == (audio != nil))
        }
        if let rate = expectation.audioRate {
            let actual = audio?.sampleRate
            add("audio.rate", "\(rate)", actual.map(String.init) ?? "no audio", actual == rate)
        }
        if let channels = expectation.audioChannels {
            let actual = audio?.channels
            add("audio.channels", "\(channels)", actual.map(String.init) ?? "no audio", actual == channels)
        }
        var checksums: [FrameChecksum]?
        if expectation.frames != nil || expectation.checksums != nil {
            checksums = try file.frameChecksums()
        }
        if let frames = expectation.frames {
            let count = checksums?.filter { $0.type == .video }.count ?? 0
            add("frames", "\(frames)", "\(count)", frames == count)
        }
        if let sha = expectation.sha256 {
            let actual = try Library.sha256(ofFileAt: path)
            add("sha256", sha, actual, actual == sha)
        }
        if let reference = expectation.checksums, let checksums {
            results += compare(
                checksums, with: try FrameChecksumFile.load(contentsOf: reference), stage: expectation.stage)
        }
        if let similarity = expectation.similarTo {
            results += try check(path, similarTo: similarity, stage: expectation.stage, pictures: pictures)
                .resultsNamingPictures
        }
        return results
    }

    /// Compares `path` with `reference`: metadata that users notice, then every decoded frame.
    public static func check(_ path: String, reference: String) throws -> [CheckResult] {
        let file = try InputFile(path: path)
        let referenceFile = try InputFile(path: reference)
        let (info, expected) = (file.info, referenceFile.info)
        var results: [CheckResult] = []
        func compare(_ check: String, _ expected: String?, _ actual: String?) {
            results.append(
                CheckResult(
                    stage: "", check: check, expected: expected ?? "none", actual: actual ?? "none",
                    ok: expected == actual))
        }
        compare("duration", expected.duration.map(seconds), info.duration.map(seconds))
        compare("video.codec", expected.video?.codec, info.video?.codec)
        compare(
            "video.size", expected.video.map { "\($0.width ?? 0)x\($0.height ?? 0)" },
            info.video.map { "\($0.width ?? 0)x\($0.height ?? 0)" })
        compare("video.fps", expected.video?.averageFrameRate?.description, info.video?.averageFrameRate?.description)
        compare("audio.codec", expected.audio?.codec, info.audio?.codec)
        compare("audio.rate", expected.audio?.sampleRate.map(String.init), info.audio?.sampleRate.map(String.init))
        compare("audio.channels", expected.audio?.channels.map(String.init), info.audio?.channels.map(String.init))
        results += Self.compare(try file.frameChecksums(), with: try referenceFile.frameChecksums(), stage: "")
        return results
    }

    /// Frame-by-frame comparison per stream type: the frame counts, and the first frame that differs
    /// (with its time and both checksums).
    static func compare(_ actual: [FrameChecksum], with expected: [FrameChecksum], stage: String) -> [CheckResult] {
        var results: [CheckResult] = []
        for type in [MediaType.video, .audio] {
            let ours = actual.filter { $0.type == type }
            let theirs = expected.filter { $0.type == type }
            guard !ours.isEmpty || !theirs.isEmpty else { continue }
            results.append(
                CheckResult(
                    stage: stage, check: "\(type.rawValue) frames", expected: "\(theirs.count)",
                    actual: "\(ours.count)",
                    ok: ours.count == theirs.count))
            if let index = zip(ours.indices, theirs.indices).first(where: { ours[$0].md5 != theirs[$1].md5 })?.0 {
                let frame = ours[index]
                results.append(
                    CheckResult(
                        stage: stage, check: "\(type.rawValue) frame \(index) at \(seconds(frame.time))",
                        expected: theirs[index].md5, actual: frame.md5, ok: false))
            } else {
                results.append(
                    CheckResult(
                        stage: stage, check: "\(type.rawValue) frame checksums", expected: "\(theirs.count) match",
                        actual: "\(min(ours.count, theirs.count)) match", ok: ours.count == theirs.count))
            }
        }
        return results
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3fs", value) }
}
