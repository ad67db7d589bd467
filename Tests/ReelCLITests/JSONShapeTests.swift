import Foundation
import ReelTestSupport
import Testing

/// SPEC's keys of a library item, and of its `media` summary.
private let itemKeys: Set = [
    "id", "name", "kind", "sha256", "size", "source_type", "saved", "created_at", "path", "media", "generation",
    "remotes",
]
private let mediaKeys: Set = [
    "duration", "width", "height", "display_width", "display_height", "display_aspect_ratio", "video_codec", "fps",
    "audio_codec", "audio_sample_rate", "audio_channels", "truncated",
]
private let pageKeys: Set = ["items", "page", "per_page", "total"]

private func keys(_ object: Any?) -> Set<String> { Set((object as? [String: Any])?.keys.map { $0 } ?? []) }

@Suite("--json: one shape per concept, every key present")
struct JSONShapeTests {
    @Test("import says added, then existing for the same bytes; both are full items")
    func importStatus() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        let first = try #require(try scratch.json(["library", "import", clip]) as? [[String: Any]])
        let second = try #require(try scratch.json(["library", "import", clip]) as? [[String: Any]])
        #expect(first.first?["status"] as? String == "added")
        #expect(second.first?["status"] as? String == "existing")
        #expect(first.first?["id"] as? String == second.first?["id"] as? String)
        #expect(itemKeys.isSubset(of: keys(first.first)), "\(keys(first.first))")
    }

    @Test("an audio-only item's media has every key, the video ones null (ffprobe finds no video stream)")
    func mediaKeysAlwaysPresent() throws {
        let scratch = try LibraryScratch()
        let audio = try Fixtures.audioOnly()
        #expect(try FFprobeReport.of(audio).streams.allSatisfy { $0.codecType != "video" })
        let item = try #require((try scratch.json(["library", "import", audio]) as? [[String: Any]])?.first)
        let shown = try #require(try scratch.json(["library", "show", item["id"] as? String ?? ""]) as? [String: Any])
        let media = try #require(shown["media"] as? [String: Any])
        #expect(Set(media.keys) == mediaKeys)
        for key in ["width", "height", "display_width", "display_height", "video_codec", "fps"] {
            #expect(media[key] is NSNull, "\(key): \(String(describing: media[key]))")
        }
        #expect(media["audio_codec"] as? String == "aac")
        #expect(shown["generation"] is NSNull && shown["saved_at"] is NSNull)
    }

    @Test("a file with no media has media null; with generation details, every generation key is there")
    func nullMediaAndFullGeneration() throws {
        let scratch = try LibraryScratch()
        let notes = try scratch.file("notes.txt", text: "not media")
        let item = try #require(
            (try scratch.json(["library", "import", notes, "--kind", "other", "--provider", "runway"])
                as? [[String: Any]])?.first)
        #expect(item["media"] is NSNull)
        #expect(item["source_type"] as? String == "generated", "generation details make it generated")
        let generation = try #require(item["generation"] as? [String: Any])
        #expect(
            Set(generation.keys) == ["provider", "model", "prompt", "params", "job_id", "source_url", "url_expires_at"])
        #expect(generation["provider"] as? String == "runway" && generation["model"] is NSNull)
    }

    @Test("list and find print the same page shape")
    func listAndFindPages() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        _ = try scratch.json(["library", "import", clip, "--name", "chasing-cat.mp4"])
        let list = try scratch.json(["library", "list"])
        let found = try scratch.json(["library", "find", "chasing", "--per-page", "10"])
        #expect(keys(list) == pageKeys && keys(found) == pageKeys)
        let page = try #require(found as? [String: Any])
        #expect(page["total"] as? Int == 1 && page["per_page"] as? Int == 10 && page["page"] as? Int == 1)
        let items = try #require(page["items"] as? [[String: Any]])
        #expect(items.map { $0["name"] as? String } == ["chasing-cat.mp4"])
        #expect(itemKeys.isSubset(of: keys(items.first)))
        let none = try #require(try scratch.json(["library", "find", "nothing-like-this"]) as? [String: Any])
        #expect(none["total"] as? Int == 0 && (none["items"] as? [Any])?.isEmpty == true)
    }

    @Test("export and delete print the item (export adds its destination)")
    func exportAndDelete() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        let item = try #require((try scratch.json(["library", "import", clip]) as? [[String: Any]])?.first)
        let id = try #require(item["id"] as? String)
        let destination = scratch.folder.appendingPathComponent("out.mp4").path
        let exported = try #require(try scratch.json(["library", "export", id, "-o", destination]) as? [String: Any])
        #expect(itemKeys.isSubset(of: keys(exported)))
        #expect(exported["destination"] as? String == destination && exported["id"] as? String == id)
        #expect(FileManager.default.contentsEqual(atPath: destination, andPath: clip))
        let deleted = try #require(try scratch.json(["library", "delete", id]) as? [String: Any])
        #expect(itemKeys.isSubset(of: keys(deleted)) && deleted["id"] as? String == id)
        #expect((try scratch.json(["library", "list"]) as? [String: Any])?["total"] as? Int == 0)
    }

    @Test("remote add and remove print the remote in the shape of remote list, every key present")
    func remoteAddRemove() throws {
        let scratch = try LibraryScratch()
        let added = try scratch.json(["remote", "add", "r2", "--endpoint", "https://example.com", "--bucket", "media"])
        let listed = try scratch.json(["remote", "list"])
        let remote = try #require((added as? [String: Any])?["r2"] as? [String: Any])
        #expect(Set(remote.keys) == ["endpoint", "bucket", "region", "path_style", "public_url", "key", "ca_file"])
        #expect(remote["public_url"] is NSNull && remote["bucket"] as? String == "media")
        #expect(keys((listed as? [String: Any])?["r2"]) == Set(remote.keys))
        let removed = try scratch.json(["remote", "remove", "r2"])
        #expect((removed as? [String: Any])?["r2"] as? [String: Any] != nil)
        #expect((try scratch.json(["remote", "list"]) as? [String: Any])?.isEmpty == true)
    }

    @Test("verify --json of a standalone check has stage null")
    func verifyStageNull() throws {
        let clip = try Fixtures.h264AAC()
        let folder = try Fixtures.scratchDirectory()
        let expect = folder.appendingPathComponent("expect.json").path
        let duration = Double(try FFprobeReport.of(clip).format.duration ?? "") ?? 0
        try Data(#"{"duration": [\#(duration - 0.1), \#(duration + 0.1)]}"#.utf8).write(
            to: URL(fileURLWithPath: expect))
        let result = try ReelBinary.run(["verify", clip, "--expect", expect, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(!checks.isEmpty)
        for check in checks {
            #expect(Set(check.keys) == ["stage", "check", "expected", "actual", "ok"])
            #expect(check["stage"] is NSNull)
        }
    }

    @Test("runs list has the run manifest's keys: run_id and the pipeline as {name, path, sha256}")
    func runsListKeys() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        let pipeline = try scratch.file(
            "p.json",
            text: #"{"version": 1, "name": "one", "stages": [{"id": "a", "type": "fetch", "path": "\#(clip)"}]}"#)
        let run = try scratch.reel(["run", pipeline, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        let runs = try #require(try scratch.json(["runs", "list"]) as? [[String: Any]])
        let summary = try #require(runs.first)
        #expect(Set(summary.keys) == ["run_id", "pipeline", "status", "started_at", "finished_at"])
        #expect(summary["run_id"] as? String == manifest["run_id"] as? String)
        let named = try #require(summary["pipeline"] as? [String: Any])
        let recorded = try #require(manifest["pipeline"] as? [String: Any])
        #expect(named["name"] as? String == "one" && named["sha256"] as? String == recorded["sha256"] as? String)
        let sha256 = String(try Shell.run("sha256sum", [pipeline]).stdout.prefix(64))
        #expect(named["sha256"] as? String == sha256)
    }
}
