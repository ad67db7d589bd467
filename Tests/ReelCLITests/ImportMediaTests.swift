import Foundation
import ReelTestSupport
import Testing

/// The `media_json` the catalog holds for each item, read with Python's sqlite3 (not Reel's own code).
private func catalogMedia(_ library: String) throws -> [String: [String: Any]] {
    let script = """
        import json, sqlite3, sys
        rows = sqlite3.connect(sys.argv[1]).execute("select name, media_json from items").fetchall()
        print(json.dumps({name: json.loads(media) if media else None for name, media in rows}))
        """
    let result = try Shell.run("python3", ["-c", script, library + "/catalog.sqlite"])
    #expect(result.status == 0, "\(result.stderr)")
    return (try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: [String: Any]]) ?? [:]
}

/// `source` copied into `folder` as `name`.
private func place(_ source: String, as name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try FileManager.default.copyItem(atPath: source, toPath: path)
    return path
}

/// The first half of a faststart MP4, as `cut.mp4` in `folder`: its index points past its end.
private func halfCut(in folder: URL) throws -> String {
    try place(try Fixtures.cut(try Fixtures.faststartMP4(), fraction: 0.5), as: "cut.mp4", in: folder)
}

/// The first 100 bytes of a faststart MP4, as `stub.mp4` in `folder`: libav opens it and finds no stream.
private func headerStub(in folder: URL) throws -> String {
    try place(try Fixtures.cut(try Fixtures.faststartMP4(), bytes: 100), as: "stub.mp4", in: folder)
}

@Suite("import and fetch keep only usable media")
struct ImportMediaTests {
    @Test("a cut MP4 whose index points past its end is refused in one line, exit 1, and nothing is stored")
    func truncatedRefused() throws {
        let scratch = try LibraryScratch()
        let cut = try halfCut(in: scratch.folder)
        let result = try scratch.reel(["library", "import", cut])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "reel library import: \(cut): truncated: the file ends before the data its index describes; "
                + "not kept (reel library import --allow-truncated keeps it)\n")
        #expect(try scratch.listed().isEmpty)
    }

    @Test("--allow-truncated imports the cut MP4, recorded as truncated in show and in the catalog's media JSON")
    func truncatedAllowed() throws {
        let scratch = try LibraryScratch()
        let cut = try halfCut(in: scratch.folder)
        let items = try #require(
            try scratch.json(["library", "import", cut, "--allow-truncated"]) as? [[String: Any]])
        let item = try #require(items.first)
        #expect(item["kind"] as? String == "video")
        #expect((item["media"] as? [String: Any])?["truncated"] as? Bool == true)
        let id = try #require(item["id"] as? String)
        let shown = try #require(try scratch.json(["library", "show", id]) as? [String: Any])
        #expect((shown["media"] as? [String: Any])?["truncated"] as? Bool == true)
        #expect(try catalogMedia(scratch.library)["cut.mp4"]?["truncated"] as? Bool == true)
    }

    @Test("a whole clip is imported and recorded as not truncated")
    func wholeNotFlagged() throws {
        let scratch = try LibraryScratch()
        let whole = try place(try Fixtures.faststartMP4(), as: "whole.mp4", in: scratch.folder)
        let items = try #require(try scratch.json(["library", "import", whole]) as? [[String: Any]])
        #expect((items.first?["media"] as? [String: Any])?["truncated"] as? Bool == false)
        #expect(try catalogMedia(scratch.library)["whole.mp4"]?["truncated"] as? Bool == false)
    }

    @Test("a 100-byte cut MP4 (no streams) is refused; only an explicit --kind other keeps it")
    func noStreams() throws {
        let scratch = try LibraryScratch()
        let stub = try headerStub(in: scratch.folder)
        let refused = try scratch.reel(["library", "import", stub])
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "reel library import: \(stub): no audio or video streams; not kept "
                + "(a plain file can be imported with --kind other)\n")
        #expect(try scratch.listed().isEmpty)
        let kept = try #require(try scratch.json(["library", "import", stub, "--kind", "other"]) as? [[String: Any]])
        #expect(kept.first?["kind"] as? String == "other")
        #expect(kept.first?["media"] == nil || kept.first?["media"] is NSNull)
    }

    @Test("probe shows a cut file as truncated, in text and JSON")
    func probeShowsIt() throws {
        let cut = try Fixtures.cut(try Fixtures.faststartMP4(), fraction: 0.5)
        let text = try ReelBinary.run(["probe", cut])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").first?.contains("TRUNCATED") == true, "\(text.stdout)")
        let json = try ReelBinary.run(["probe", cut, "--json"])
        let object = try JSONSerialization.jsonObject(with: json.stdoutData)
        let probe = (object as? [String: Any]) ?? (object as? [[String: Any]])?.first
        #expect(probe?["truncated"] as? Bool == true)
        let whole = try ReelBinary.run(["probe", try Fixtures.faststartMP4()])
        #expect(!whole.stdout.contains("TRUNCATED"))
    }

    @Test("fetch applies the same rule: a cut clip or one without streams is not kept, in the library or at -o")
    func fetchRefuses() async throws {
        let scratch = try LibraryScratch()
        let cut = try halfCut(in: scratch.folder)
        let stub = try headerStub(in: scratch.folder)
        let local = try scratch.reel(["fetch", cut])
        #expect(local.status == 1)
        #expect(
            local.stderr.hasPrefix("reel fetch: \(cut): truncated: the file ends before the data"), "\(local.stderr)")
        let empty = try scratch.reel(["fetch", stub])
        #expect(empty.status == 1)
        #expect(empty.stderr.hasPrefix("reel fetch: \(stub): no audio or video streams"), "\(empty.stderr)")
        #expect(try scratch.listed().isEmpty)

        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        server.route("/cut.mp4", .file(try Data(contentsOf: URL(fileURLWithPath: cut)), etag: "\"c\""))
        let output = scratch.folder.appendingPathComponent("downloaded.mp4").path
        let remote = try ReelBinary.run(["fetch", server.url("/cut.mp4"), "-o", output])
        #expect(remote.status == 1)
        #expect(remote.stderr.hasPrefix("reel fetch: \(server.url("/cut.mp4")): truncated:"), "\(remote.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: scratch.folder.path).sorted() == [
                "cut.mp4", "lib", "stub.mp4",
            ])
    }
}
