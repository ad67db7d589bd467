import Foundation
import ReelTestSupport
import Testing

/// A scratch folder with a library path inside, and small helpers to run `reel library` on it.
struct LibraryScratch {
    let folder: URL
    var library: String { folder.appendingPathComponent("lib").path }

    init() throws { folder = try Fixtures.scratchDirectory() }

    func file(_ name: String, bytes: Int = 0, text: String? = nil) throws -> String {
        let path = folder.appendingPathComponent(name).path
        var data = Data((text ?? name).utf8)
        if bytes > data.count {
            data.append(Data((0..<(bytes - data.count)).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        }
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func reel(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try ReelBinary.run(arguments + ["--library", library], environment: environment)
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = try reel(arguments + ["--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: result.stdoutData)
    }

    /// Item ids and sha256s in the catalog, via `reel library list --json`.
    func listed() throws -> [String: String] {
        let page = try #require(try json(["library", "list", "--per-page", "1000"]) as? [String: Any])
        let items = page["items"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: items.map { ($0["sha256"] as? String ?? "", $0["path"] as? String ?? "") })
    }
}

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

@Suite("reel library, as a user runs it")
struct LibraryCommandTests {
    @Test("import probes media, stores it by SHA-256, and show/list agree with ffprobe and sha256sum")
    func importAndShow() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.rotated(clockwise: 90)
        let items = try #require(try scratch.json(["library", "import", clip]) as? [[String: Any]])
        let item = try #require(items.first)
        #expect(item["sha256"] as? String == (try sha256sum(clip)))
        #expect(item["kind"] as? String == "video")
        #expect(item["source_type"] as? String == "uploaded")
        #expect(item["saved"] as? Bool == false)
        let media = try #require(item["media"] as? [String: Any])
        let oracle = try FFprobeReport.of(clip)
        #expect(abs((media["duration"] as? Double ?? 0) - (Double(oracle.format.duration ?? "") ?? -1)) < 0.001)
        #expect(media["display_width"] as? Int == 180 && media["display_height"] as? Int == 320)
        #expect(media["video_codec"] as? String == "h264" && media["audio_codec"] as? String == "aac")
        let id = try #require(item["id"] as? String)
        let shown = try #require(try scratch.json(["library", "show", String(id.prefix(6))]) as? [String: Any])
        #expect(shown["id"] as? String == id)
        #expect(try sha256sum(shown["path"] as? String ?? "") == item["sha256"] as? String)
    }

    @Test("importing the same bytes under another name says so and adds nothing")
    func duplicateImport() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        let copy = scratch.folder.appendingPathComponent("renamed.mp4").path
        try FileManager.default.copyItem(atPath: clip, toPath: copy)
        let first = try scratch.reel(["library", "import", clip])
        let second = try scratch.reel(["library", "import", copy])
        #expect(first.status == 0 && second.status == 0)
        let id = String(try sha256sum(clip).prefix(12))
        #expect(second.stdout == "\(copy): already in the library as \(id), same SHA-256\n")
        #expect(try scratch.listed().count == 1)
    }

    @Test("generation details are recorded and findable by prompt text")
    func generation() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.videoOnly()
        try scratch.reel([
            "library", "import", clip, "--provider", "runway", "--model", "gen-4", "--prompt", "A cat chasing a ball",
            "--job-id", "job-42", "--param", "seed=7",
        ])
        let page = try #require(try scratch.json(["library", "find", "chasing"]) as? [String: Any])
        let found = try #require(page["items"] as? [[String: Any]])
        #expect(found.count == 1)
        let generation = try #require(found.first?["generation"] as? [String: Any])
        #expect(generation["provider"] as? String == "runway" && generation["job_id"] as? String == "job-42")
        #expect((generation["params"] as? [String: String]) == ["seed": "7"])
        #expect(found.first?["source_type"] as? String == "generated")
    }

    @Test("a file that is not media is refused with one line, and nothing is added")
    func notMedia() throws {
        let scratch = try LibraryScratch()
        let text = try scratch.file("notes.mp4", text: "just text")
        let result = try scratch.reel(["library", "import", text])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("reel library import: \(text): "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try scratch.listed().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.library + "/staging").isEmpty)
    }

    @Test("save, unsave, export, delete and gc do what they say")
    func lifecycle() throws {
        let scratch = try LibraryScratch()
        let a = try scratch.file("a.bin", bytes: 1000)
        let b = try scratch.file("b.bin", bytes: 2000)
        try scratch.reel(["library", "import", "--kind", "other", a, b])
        let ids = try scratch.listed().keys.map { String($0.prefix(12)) }
        let idA = String(try sha256sum(a).prefix(12))
        let idB = String(try sha256sum(b).prefix(12))
        #expect(Set(ids) == [idA, idB])
        #expect(try scratch.reel(["library", "save", idA]).stdout == "saved \(idA) a.bin\n")
        let dry = try scratch.reel(["library", "gc", "--unsaved-older-than", "0s"])
        #expect(dry.stdout.contains("would delete \(idB) b.bin") && !dry.stdout.contains(idA))
        #expect(try scratch.listed().count == 2, "gc without --apply deletes nothing")
        let exported = scratch.folder.appendingPathComponent("out.bin").path
        #expect(try scratch.reel(["library", "export", idA, "-o", exported]).status == 0)
        #expect(try sha256sum(exported) == (try sha256sum(a)))
        #expect(
            try scratch.reel(["library", "export", idA, "-o", exported]).status == 1, "no overwrite without --force")
        #expect(try scratch.reel(["library", "gc", "--unsaved-older-than", "0s", "--apply"]).status == 0)
        #expect(try scratch.listed().count == 1)
        try scratch.reel(["library", "unsave", idA])
        #expect(try scratch.reel(["library", "delete", idA]).stdout.hasPrefix("deleted \(idA)"))
        #expect(try scratch.listed().isEmpty)
        let log = try scratch.reel(["library", "log"]).stdout
        #expect(log.contains(" save ") && log.contains(" unsave ") && log.contains(" delete "))
    }

    @Test("stats counts items and bytes by kind, source and saved state")
    func stats() throws {
        let scratch = try LibraryScratch()
        try scratch.reel(["library", "import", "--kind", "other", try scratch.file("x.bin", bytes: 100)])
        try scratch.reel(["library", "import", "--save", try Fixtures.videoOnly()])
        let stats = try #require(try scratch.json(["library", "stats"]) as? [String: Any])
        let total = try #require(stats["total"] as? [String: Int])
        let videoSize = try FileManager.default.attributesOfItem(atPath: try Fixtures.videoOnly())[.size] as? Int
        #expect(total["count"] == 2 && total["bytes"] == 100 + (videoSize ?? 0))
        #expect((stats["saved"] as? [String: Int])?["count"] == 1)
        #expect(((stats["by_kind"] as? [String: Any])?["video"] as? [String: Int])?["count"] == 1)
    }
}

@Suite("reel library on bad input")
struct LibraryBadInputTests {
    @Test("a folder that is not a library is refused, untouched, exit 1")
    func notALibrary() throws {
        let folder = try Fixtures.scratchDirectory()
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let result = try ReelBinary.run(["library", "list", "--library", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("reel library list: \(folder.path) is not a Reel library"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
    }

    @Test("an id that matches nothing, or several items, is a one-line error")
    func ids() throws {
        let scratch = try LibraryScratch()
        for index in 0..<40 {
            try scratch.reel(["library", "import", "--kind", "other", try scratch.file("f\(index)")])
        }
        let missing = try scratch.reel(["library", "show", "0000000"])
        #expect(missing.status == 1 && missing.stderr == "reel library show: no item matches \"0000000\"\n")
        let firsts = Dictionary(grouping: try scratch.listed().keys, by: { $0.prefix(1) })
        let prefix = try #require(firsts.first { $0.value.count > 1 }?.key)
        let ambiguous = try scratch.reel(["library", "show", String(prefix)])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("matches") && ambiguous.stderr.contains("give more characters"))
    }

    @Test("a read-only library can be listed but not written; nothing changes")
    func readOnly() throws {
        let scratch = try LibraryScratch()
        try scratch.reel(["library", "import", "--kind", "other", try scratch.file("a.bin")])
        let file = try scratch.file("b.bin")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.folder.path)
        for path in [file, scratch.library] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        // Root writes anywhere, so the user here is `nobody`: the library folder is not writable for it.
        func asNobody(_ arguments: [String]) throws -> ProcessResult {
            getuid() == 0
                ? try Shell.run(
                    "setpriv",
                    ["--reuid=65534", "--regid=65534", "--clear-groups", ReelBinary.path] + arguments + [
                        "--library", scratch.library,
                    ])
                : try scratch.reel(arguments)
        }
        try Shell.run("chmod", ["-R", "a+rX", scratch.folder.path])
        let list = try asNobody(["library", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        let write = try asNobody(["library", "import", "--kind", "other", file])
        #expect(write.status == 1)
        #expect(write.stderr.contains("is read-only"), "\(write.stderr)")
        #expect(try scratch.listed().count == 1)
    }

    @Test("disk full during ingest: a clear error, nothing added, no staging leftovers")
    func diskFull() throws {
        let folder = try Fixtures.scratchDirectory()
        let mountPoint = folder.appendingPathComponent("small").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try Shell.run("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint])
        try #require(mount.status == 0, "this test needs to mount a small tmpfs (root): \(mount.stderr)")
        defer { _ = try? Shell.run("umount", [mountPoint]) }
        let library = mountPoint + "/lib"
        let big = folder.appendingPathComponent("big.bin").path
        try Data(repeating: 7, count: 3 << 20).write(to: URL(fileURLWithPath: big))
        #expect(try ReelBinary.run(["library", "init", "--library", library]).status == 0)
        let result = try ReelBinary.run(["library", "import", "--kind", "other", big, "--library", library])
        #expect(result.status == 1)
        #expect(result.stderr.contains("No space left on device") && result.stderr.contains("nothing was added"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/staging").isEmpty)
        let list = try ReelBinary.run(["library", "list", "--json", "--library", library])
        let page = try JSONSerialization.jsonObject(with: list.stdoutData) as? [String: Any]
        #expect(page?["total"] as? Int == 0)
    }
}
