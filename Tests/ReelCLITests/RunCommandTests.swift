import Foundation
import ReelTestSupport
import Testing

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

/// Runs `reel run PIPELINE … --json` as cron or CI does: from a working directory of its own, naming the pipeline
/// by a relative path from there (`../../work/reel/pipelines/demo.json`); `pipeline` is relative to the package root
/// or absolute. Returns the status and the manifest.
private func run(_ arguments: [String], library: String) throws -> (
    status: Int32, manifest: [String: Any], stderr: String
) {
    let elsewhere = try Fixtures.scratchDirectory().path
    let pipeline = relativePath(to: arguments[0], from: elsewhere)
    let result = try ReelBinary.run(
        ["run", pipeline] + arguments.dropFirst() + ["--json", "--library", library], currentDirectory: elsewhere)
    let manifest = (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
    return (result.status, manifest, result.stderr)
}

/// `path` (relative to the package root, or absolute) written relative to `directory`.
private func relativePath(to path: String, from directory: String) -> String {
    let target = URL(fileURLWithPath: path, relativeTo: Fixtures.packageRoot).standardizedFileURL.pathComponents
    let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
    let shared = zip(target, base).prefix { $0 == $1 }.count
    return (Array(repeating: "..", count: base.count - shared) + target[shared...]).joined(separator: "/")
}

private func stages(_ manifest: [String: Any]) -> [String: [String: Any]] {
    let list = manifest["stages"] as? [[String: Any]] ?? []
    return Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as? String ?? "", $0) })
}

/// A pipeline file in a scratch folder.
private func pipelineFile(_ json: String) throws -> String {
    let path = try Fixtures.scratchDirectory().appendingPathComponent("pipeline.json").path
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("reel run", .serialized)
struct RunCommandTests {
    @Test(
        "the demo pipeline runs from another directory; its outputs are library items that hash right; expectations pass"
    )
    func demo() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let (status, manifest, stderr) = try run(["pipelines/demo.json"], library: library)
        #expect(status == 0, "\(stderr)")
        #expect(manifest["status"] as? String == "ok")
        let byID = stages(manifest)
        #expect(byID.count == 10 && byID.values.allSatisfy { $0["status"] as? String == "ok" })
        let episode = try #require((byID["episode"]?["outputs"] as? [[String: Any]])?.first)
        let path = try #require(episode["path"] as? String)
        #expect(try sha256sum(path) == episode["sha256"] as? String)
        let oracle = try FFprobeReport.of(path)
        #expect(abs((Double(oracle.format.duration ?? "") ?? 0) - 15) < 0.1)
        #expect(oracle.streams.contains { $0.codecType == "video" && $0.width == 640 && $0.height == 360 })
        let checks = manifest["expect"] as? [[String: Any]] ?? []
        #expect(checks.count == 7 && checks.allSatisfy { $0["ok"] as? Bool == true })
        let scrub = byID["scrub"]?["outputs"] as? [[String: Any]] ?? []
        #expect(scrub.map { $0["role"] as? String } == ["sprite", "vtt"])
        // The stored WebVTT's cues point at the stored sheet, relative to the VTT's own place in the library.
        let vtt = URL(fileURLWithPath: try #require(scrub.last?["path"] as? String))
        let cues = try String(contentsOf: vtt, encoding: .utf8).split(separator: "\n").filter { $0.contains("#xywh=") }
        #expect(cues.count == 15)
        for cue in cues {
            let target = vtt.deletingLastPathComponent().appendingPathComponent(String(cue.prefix { $0 != "#" }))
            #expect(try sha256sum(target.standardizedFileURL.path) == scrub.first?["sha256"] as? String)
        }
        let lineage = try ReelBinary.run([
            "library", "lineage", episode["item_id"] as? String ?? "", "--json", "--library", library,
        ])
        let tree = try #require(try JSONSerialization.jsonObject(with: lineage.stdoutData) as? [String: Any])
        let inputs = (tree["inputs"] as? [[String: Any]] ?? []).map { $0["name"] as? String ?? "" }
        #expect(
            inputs == [
                "landscape-640x360-30fps.mp4", "bars-480x270-25fps-mono44k.mp4", "phone-portrait-rotated.mp4",
                "anamorphic-360x288-sar64x45.mp4", "ai-square-24fps-silent.mp4",
            ])
    }

    @Test("an unchanged re-run is all cache hits with the same outputs; --no-cache redoes the work byte for byte")
    func cacheAndDeterminism() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let first = try run(["pipelines/demo.json"], library: library)
        let second = try run(["pipelines/demo.json"], library: library)
        #expect(second.status == 0)
        let warm = stages(second.manifest)
        #expect(warm.values.allSatisfy { $0["cache_hit"] as? Bool == true })
        func hashes(_ manifest: [String: Any]) -> [String: [String]] {
            stages(manifest).mapValues {
                ($0["outputs"] as? [[String: Any]] ?? []).compactMap { $0["sha256"] as? String }
            }
        }
        #expect(hashes(second.manifest) == hashes(first.manifest))
        let forced = try run(["pipelines/demo.json", "--no-cache"], library: library)
        #expect(stages(forced.manifest).values.allSatisfy { $0["cache_hit"] as? Bool == false })
        #expect(hashes(forced.manifest) == hashes(first.manifest), "the same inputs and options give the same bytes")
        let runs = try ReelBinary.run(["runs", "list", "--json", "--library", library])
        #expect((try JSONSerialization.jsonObject(with: runs.stdoutData) as? [Any])?.count == 3)
    }

    @Test("pipelines/ci-verify.json passes from another directory; a missed expectation fails with the difference")
    func expectations() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let (status, manifest, _) = try run(["pipelines/ci-verify.json"], library: library)
        #expect(status == 0)
        let checks = manifest["expect"] as? [[String: Any]] ?? []
        #expect(checks.count == 22 && checks.allSatisfy { $0["ok"] as? Bool == true })

        let sample = Fixtures.samplesDirectory.appendingPathComponent("landscape-640x360-30fps.mp4").path
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "miss", "stages": [ { "id": "clip", "type": "fetch", "path": "\(sample)" } ],
              "expect": { "clip": { "frames": 91, "video": { "size": "1280x720" } } } }
            """)
        let missed = try run([pipeline], library: library)
        #expect(missed.status == 1)
        #expect(missed.manifest["status"] as? String == "failed")
        let failed = (missed.manifest["expect"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
        #expect(failed.map { $0["check"] as? String } == ["video.size", "frames"])
        #expect(failed.map { $0["actual"] as? String } == ["640x360", "90"])
    }

    @Test("expect video.size is the size a viewer sees (SAR and rotation applied); a thumbnail can be checked too")
    func displaySizeExpectations() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let rotated = try Fixtures.rotated(clockwise: 90)
        let anamorphic = try Fixtures.anamorphic()
        /// The display size worked out from ffprobe's coded size, sample aspect ratio and rotation.
        func displaySize(_ path: String) throws -> String {
            let video = try #require(try FFprobeReport.of(path).streams.first { $0.codecType == "video" })
            let sar = (video.sampleAspectRatio ?? "1:1").split(separator: ":").compactMap { Double($0) }
            let width = Int((Double(video.width ?? 0) * sar[0] / sar[1]).rounded())
            let height = video.height ?? 0
            return abs(video.rotation) == 90 ? "\(height)x\(width)" : "\(width)x\(height)"
        }
        let (rotatedSize, anamorphicSize) = (try displaySize(rotated), try displaySize(anamorphic))
        #expect(rotatedSize == "180x320" && anamorphicSize == "1024x576", "the fixtures are what they claim")
        func pipeline(rotatedExpectation: String) throws -> String {
            try pipelineFile(
                """
                { "version": 1, "name": "sizes", "stages": [
                  { "id": "phone", "type": "fetch", "path": "\(rotated)" },
                  { "id": "pal", "type": "fetch", "path": "\(anamorphic)" },
                  { "id": "poster", "type": "thumbnail", "input": "pal", "at": 0.5, "width": 320 } ],
                  "expect": { "phone": { "video": { "size": "\(rotatedExpectation)" } },
                              "pal": { "video": { "size": "\(anamorphicSize)" } },
                              "poster": { "video": { "size": "320x180", "codec": "mjpeg" } } } }
                """)
        }
        let (status, manifest, stderr) = try run([try pipeline(rotatedExpectation: rotatedSize)], library: library)
        #expect(status == 0, "\(stderr)")
        let checks = manifest["expect"] as? [[String: Any]] ?? []
        #expect(checks.count == 4 && checks.allSatisfy { $0["ok"] as? Bool == true }, "\(checks)")
        let coded = try run([try pipeline(rotatedExpectation: "320x180")], library: library)
        #expect(coded.status == 1)
        let missed = (coded.manifest["expect"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
        #expect(missed.map { $0["actual"] as? String } == [rotatedSize], "the coded size is not what a viewer sees")
    }

    @Test("a failing stage fails its dependents, an independent branch finishes, and the run exits 1")
    func failingBranch() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let clip = try Fixtures.h264AAC()
        // It exists, so the pipeline validates; it is not media, so its fetch fails at run time.
        let notMedia = try Fixtures.scratchDirectory().appendingPathComponent("not-media.mp4")
        try Data("this is text, not a video\n".utf8).write(to: notMedia)
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "branches", "stages": [
              { "id": "good", "type": "fetch", "path": "\(clip)" },
              { "id": "poster", "type": "thumbnail", "input": "good", "at": 1 },
              { "id": "bad", "type": "fetch", "path": "\(notMedia.path)" },
              { "id": "joined", "type": "stitch", "inputs": ["good", "bad"] } ] }
            """)
        let (status, manifest, stderr) = try run([pipeline], library: library)
        #expect(status == 1)
        let byID = stages(manifest)
        #expect(
            byID.mapValues { $0["status"] as? String } == [
                "good": "ok", "poster": "ok", "bad": "failed", "joined": "skipped",
            ])
        #expect((byID["bad"]?["error"] as? String)?.contains("not-media.mp4") == true, "\(byID["bad"] ?? [:])")
        #expect(stderr.contains("pipeline.json: failed (run "), "\(stderr)")
    }

    @Test("a stitch that fails at run time names its input stages, not library or staging paths")
    func stitchFailureNamesStages() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let samples = Fixtures.samplesDirectory.path
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "copy", "stages": [
              { "id": "landscape", "type": "fetch", "path": "\(samples)/landscape-640x360-30fps.mp4" },
              { "id": "bars", "type": "fetch", "path": "\(samples)/bars-480x270-25fps-mono44k.mp4" },
              { "id": "joined", "type": "stitch", "inputs": ["landscape", "bars"], "mode": "copy" } ] }
            """)
        let (status, manifest, _) = try run([pipeline], library: library)
        #expect(status == 1)
        let error = try #require(stages(manifest)["joined"]?["error"] as? String)
        #expect(error.contains("cannot copy") && error.contains(#""bars""#), "\(error)")
        #expect(!error.contains(library) && !error.contains("staging") && !error.contains("objects/"), "\(error)")
    }

    @Test("an invalid pipeline runs nothing and exits 2")
    func invalid() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let pipeline = try pipelineFile(#"{ "version": 1, "name": "x", "stages": [ { "id": "a", "type": "fetch" } ] }"#)
        let (status, _, stderr) = try run([pipeline], library: library)
        #expect(status == 2)
        #expect(stderr.contains(#"stages[0] (stage "a"): needs "url" or "path""#))
        #expect(!FileManager.default.fileExists(atPath: library), "nothing runs, not even the library is made")
    }

    @Test("signed-URL tokens never reach the catalog, the manifest or the output")
    func secrets() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let secret = "s3cr3tSignatureValue"
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "signed", "stages": [
              { "id": "gen", "type": "fetch",
                "url": "https://cdn.example.invalid/a.mp4?X-Amz-Signature=\(secret)&_jwt=\(secret)" } ] }
            """)
        let (status, manifest, stderr) = try run([pipeline], library: library)
        #expect(status == 1)
        let manifestText = String(decoding: try JSONSerialization.data(withJSONObject: manifest), as: UTF8.self)
        #expect(!manifestText.contains(secret) && !stderr.contains(secret))
        let catalog = try String(
            decoding: Data(contentsOf: URL(fileURLWithPath: library + "/catalog.sqlite")), as: UTF8.self)
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: library + "/catalog.sqlite-wal"))) ?? Data()
        #expect(!catalog.contains(secret) && !String(decoding: wal, as: UTF8.self).contains(secret))
        let runs = try FileManager.default.contentsOfDirectory(atPath: library + "/runs")
        for file in runs {
            #expect(!(try String(contentsOfFile: library + "/runs/" + file, encoding: .utf8)).contains(secret))
        }
    }

    @Test("pipelines/ai-episode.json from another directory: signed URLs on a loopback CDN, stitched, stored to S3")
    func aiEpisode() async throws {
        let secret = "jwtSignaturePart\(UUID().uuidString.prefix(8))"
        let cdn = try await HTTPTestServer.start()
        defer { Task { await cdn.stop() } }
        let scenes = ["ai-square-24fps-silent.mp4", "phone-portrait-rotated.mp4"].map {
            Fixtures.samplesDirectory.appendingPathComponent($0).path
        }
        for (index, scene) in scenes.enumerated() {
            cdn.route(
                "/gen/\(index + 1).mp4", .file(try Data(contentsOf: URL(fileURLWithPath: scene)), etag: "\"\(index)\""))
        }
        // A JWT whose exp is two hours away, as providers sign their result URLs.
        let token = SignedURLs.jwt(exp: Date().addingTimeInterval(7200), signature: secret)
        let s3 = try S3TestServer.shared()
        let bucket = "episode-\(UUID().uuidString.lowercased().prefix(8))"
        try s3.createBucket(bucket)
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let added = try ReelBinary.run([
            "remote", "add", "archive", "--endpoint", s3.endpoint.absoluteString, "--bucket", bucket, "--path-style",
            "--library", library,
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let elsewhere = try Fixtures.scratchDirectory().path
        let result = try ReelBinary.run(
            [
                "run", relativePath(to: "pipelines/ai-episode.json", from: elsewhere), "--library", library, "--json",
                "--param", "scene1_url=\(cdn.url("/gen/1.mp4"))?_jwt=\(token)",
                "--param", "scene2_url=\(cdn.url("/gen/2.mp4"))?token=\(secret)",
            ], environment: s3.credentialEnvironment, currentDirectory: elsewhere)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
        let byID = stages(manifest)
        #expect(byID.values.allSatisfy { $0["status"] as? String == "ok" })
        let stored = byID["keep"]?["outputs"] as? [[String: Any]] ?? []
        #expect(stored.count == 2)
        let objects = try s3.objects(in: bucket)
        for output in stored {
            let id = try #require(output["item_id"] as? String)
            let ext = (try #require(output["path"] as? String) as NSString).pathExtension
            let object = try #require(objects.first { $0.key == "campaigns/456/videos/\(id).\(ext)" })
            #expect(object.sha256 == output["sha256"] as? String)
        }
        let scene = try #require((byID["scene1"]?["outputs"] as? [[String: Any]])?.first?["item_id"] as? String)
        let shown = try ReelBinary.run(["library", "show", scene, "--json", "--library", library])
        let generation = (try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])?["generation"]
        #expect((generation as? [String: Any])?["provider"] as? String == "runway")
        #expect((generation as? [String: Any])?["url_expires_at"] is String)
        let runFiles = try FileManager.default.contentsOfDirectory(atPath: library + "/runs")
        var written = [result.stdout, result.stderr, shown.stdout]
        written += try runFiles.map { try String(contentsOfFile: library + "/runs/" + $0, encoding: .utf8) }
        written += ["catalog.sqlite", "catalog.sqlite-wal"].map {
            String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: "\(library)/\($0)"))) ?? Data(), as: UTF8.self)
        }
        for text in written { #expect(!text.contains(secret)) }
    }

    @Test("SIGINT mid-run: the run is recorded as cancelled and no staging files are left")
    func interrupt() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let clips = try (0..<3).map { try Fixtures.h264AAC(seconds: 6, size: "640x360", rate: "30", gop: 30 + $0) }
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "long", "stages": [
              \(clips.enumerated().map { #"{ "id": "c\#($0)", "type": "fetch", "path": "\#($1)" }"# }.joined(separator: ",\n"))
              , { "id": "joined", "type": "stitch", "inputs": ["c0", "c1", "c2"], "mode": "reencode",
                  "video": { "size": "1280x720", "preset": "slow" } },
              { "id": "after", "type": "thumbnail", "input": "joined" } ] }
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = ["run", pipeline, "--library", library, "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the stitch has started (its clips are in the library), then interrupt.
        for _ in 0..<100
        where ((try? FileManager.default.contentsOfDirectory(atPath: library + "/objects")) ?? []).count < 3 {
            usleep(100_000)
        }
        usleep(500_000)
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(manifest["status"] as? String == "cancelled")
        #expect(stages(manifest)["after"]?["status"] as? String == "cancelled")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/staging").isEmpty)
        let runs = try ReelBinary.run(["runs", "list", "--library", library])
        #expect(runs.stdout.contains("cancelled"))
    }

    @Test("SIGINT while a stitch re-encodes stops the encode itself: stage cancelled, no stitched item, nothing left")
    func interruptMidStitch() throws {
        let scratch = try Fixtures.scratchDirectory()
        let library = scratch.appendingPathComponent("lib").path
        let clip = try Fixtures.h264Clip(source: "testsrc", seconds: 60, size: "640x360")
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "long-stitch", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "joined", "type": "stitch", "inputs": ["clip"], "mode": "reencode" } ] }
            """)
        let errors = scratch.appendingPathComponent("stderr.txt")
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = ["run", pipeline, "--library", library, "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        func stderrText() -> String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
        for _ in 0..<600 where !stderrText().contains("▶ joined (stitch)") { usleep(100_000) }
        try #require(stderrText().contains("▶ joined (stitch)"), "\(stderrText())")
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(manifest["status"] as? String == "cancelled")
        let joined = stages(manifest)["joined"]
        #expect(joined?["status"] as? String == "cancelled")
        #expect(joined?["error"] as? String == "cancelled")
        #expect(stderrText().contains("reel: interrupted, stopping…\n"), "\(stderrText())")
        #expect(stderrText().contains("– joined cancelled: cancelled"), "\(stderrText())")
        // Had the encode run to its end, its output would be in the library before the cancellation was seen.
        let stitched = try ReelBinary.run(
            ["library", "list", "--source-type", "stitched", "--json", "--library", library])
        let page = try #require(try JSONSerialization.jsonObject(with: stitched.stdoutData) as? [String: Any])
        #expect(page["total"] as? Int == 0)
        let verify = try ReelBinary.run(["library", "verify", "--library", library])
        #expect(verify.status == 0)
        #expect(verify.stdout == "1 object checked, 0 problems\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/staging").isEmpty)
        let runs = try ReelBinary.run(["runs", "list", "--library", library])
        #expect(runs.stdout.contains("cancelled"))
    }

    @Test("on a terminal, running stages are a live block redrawn in place; finished ones stay as ✔ lines")
    func liveStages() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let clip = try Fixtures.h264Clip(source: "testsrc", seconds: 10, size: "640x360")
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "live", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "joined", "type": "stitch", "inputs": ["clip"], "mode": "reencode" },
              { "id": "poster", "type": "thumbnail", "input": "joined", "at": 1 } ] }
            """)
        let command = [ReelBinary.path, "run", pipeline, "--library", library].joined(separator: " ")
        let result = try Shell.run("script", ["-qec", command, "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)")
        let screen = result.stdout
        #expect(screen.contains("\u{1B}[2K▶ joined (stitch) "), "a live line per running stage")
        #expect(screen.contains("\r\u{1B}[1A\u{1B}[J"), "the block is redrawn in place: cursor up, then cleared")
        #expect(screen.contains("-] ") && screen.contains("%"), "the stitch line shows a progress bar")
        for id in ["clip", "joined", "poster"] {
            #expect(screen.components(separatedBy: "✔ \(id) ").count == 2, "\(id) is printed once as a finished line")
        }
        #expect(!screen.contains("▶ joined (stitch)\r\n"), "no plain start line on a terminal")
        #expect(screen.contains(": ok"))
    }

    @Test("off a terminal, a run prints plain start and end lines, with no escape sequences")
    func plainLines() throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let clip = try Fixtures.h264Clip(source: "testsrc", seconds: 10, size: "640x360")
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "plain", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "joined", "type": "stitch", "inputs": ["clip"], "mode": "reencode" } ] }
            """)
        let (status, _, stderr) = try run([pipeline], library: library)
        #expect(status == 0, "\(stderr)")
        let lines = stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("▶ clip (fetch)") && lines.contains("▶ joined (stitch)"))
        #expect(lines.contains { $0.hasPrefix("✔ joined ") })
        #expect(!stderr.contains("\u{1B}") && !stderr.contains("\r"))
    }
}
