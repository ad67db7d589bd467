import Foundation
import ReelTestSupport
import Testing

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

/// A pipeline file in `folder`.
private func pipelineFile(_ json: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent("pipeline.json").path
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

private func jsonObject(_ data: Data) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

private func stages(_ manifest: [String: Any]) -> [String: [String: Any]] {
    let list = manifest["stages"] as? [[String: Any]] ?? []
    return Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as? String ?? "", $0) })
}

/// What the catalog itself says, read with the sqlite3 program rather than through Reel.
private func catalogValue(_ library: String, _ sql: String) throws -> String {
    try Shell.run("sqlite3", [library + "/catalog.sqlite", sql]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Runs whose process died, runs whose record failed, and cache hits whose items are gone: every run ends recorded
/// as ok, failed, cancelled or interrupted, and nothing is left outside the library.
@Suite("reel run: crashes, lost outputs and failed records", .serialized)
struct RunRecoveryTests {
    /// `verify --repair` (and otherwise the next run) records the dead one as interrupted in the catalog.
    @Test("kill -9 mid-stitch: shown interrupted, nothing in $TMPDIR, the stitch is a staging leftover verify repairs")
    func killedMidStitch() throws {
        let scratch = try Fixtures.scratchDirectory()
        let library = scratch.appendingPathComponent("lib").path
        let temporary = scratch.appendingPathComponent("tmp").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let clip = try Fixtures.h264Clip(source: "testsrc", seconds: 60, size: "640x360")
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "long-stitch", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "joined", "type": "stitch", "inputs": ["clip"], "mode": "reencode" } ] }
            """, in: scratch)
        let reel = try ReelProcess(["run", pipeline, "--library", library], environment: ["TMPDIR": temporary])
        try #require(reel.wait(upTo: 120) { reel.stderr.contains("▶ joined (stitch)") }, "\(reel.stderr)")
        usleep(1_000_000)
        reel.stop(with: SIGKILL)

        let listed = try ReelBinary.run(["runs", "list", "--json", "--library", library])
        let runs = try #require(try JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
        #expect(runs.map { $0["status"] as? String } == ["interrupted"])
        let runID = try #require(runs.first?["run_id"] as? String)
        let plain = try ReelBinary.run(["runs", "list", "--library", library]).stdout
        #expect(plain.hasPrefix("\(runID)  interrupted  "), "\(plain)")
        let shown = jsonObject(try ReelBinary.run(["runs", "show", runID, "--json", "--library", library]).stdoutData)
        #expect(shown["status"] as? String == "interrupted")
        #expect(stages(shown)["clip"]?["status"] as? String == "ok", "the stage that finished before the kill")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)

        let verify = try ReelBinary.run(["library", "verify", "--library", library])
        #expect(verify.status == 1)
        #expect(verify.stdout.split(separator: "\n").contains { $0.hasPrefix("staging-leftover \(library)/staging/") })
        #expect(try ReelBinary.run(["library", "verify", "--repair", "--library", library]).status == 0)
        #expect(
            try ReelBinary.run(["library", "verify", "--library", library]).stdout == "1 object checked, 0 problems\n")
        #expect(
            try catalogValue(library, "SELECT status FROM runs WHERE id = '\(runID)'") == "interrupted",
            "the repair records the dead run, with no run after it")
        #expect(!FileManager.default.fileExists(atPath: "\(library)/runs/\(runID).lock"))

        let next = try pipelineFile(
            #"{ "version": 1, "name": "short", "stages": [ { "id": "clip", "type": "fetch", "path": "\#(clip)" } ] }"#,
            in: scratch)
        #expect(try ReelBinary.run(["run", next, "--library", library]).status == 0)
        #expect(try catalogValue(library, "SELECT status FROM runs WHERE id = '\(runID)'") == "interrupted")
        #expect(!FileManager.default.fileExists(atPath: "\(library)/runs/\(runID).lock"))
    }

    @Test(
        "a cached stage whose output was deleted or collected since runs again: exit 0, a manifest, the item back",
        arguments: ["delete --force", "gc --apply"])
    func cachedOutputGone(_ removal: String) throws {
        let scratch = try Fixtures.scratchDirectory()
        let library = scratch.appendingPathComponent("lib").path
        let clip = try Fixtures.h264AAC()
        let pipeline = try pipelineFile(
            """
            { "version": 1, "name": "gone", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "joined", "type": "stitch", "inputs": ["clip", "clip"] },
              { "id": "poster", "type": "thumbnail", "input": "joined", "at": 1 } ] }
            """, in: scratch)
        let first = try ReelBinary.run(["run", pipeline, "--json", "--library", library])
        #expect(first.status == 0, "\(first.stderr)")
        let stitched = try #require(
            (stages(jsonObject(first.stdoutData))["joined"]?["outputs"] as? [[String: Any]])?.first)
        let stitchedID = try #require(stitched["item_id"] as? String)
        let removed =
            removal == "gc --apply"
            ? try ReelBinary.run(["library", "gc", "--unsaved-older-than", "0s", "--apply", "--library", library])
            : try ReelBinary.run(["library", "delete", stitchedID, "--force", "--library", library])
        #expect(removed.status == 0, "\(removed.stderr)")

        let second = try ReelBinary.run(["run", pipeline, "--json", "--library", library])
        #expect(second.status == 0, "\(second.stderr)")
        let manifest = jsonObject(second.stdoutData)
        #expect(manifest["status"] as? String == "ok")
        let joined = stages(manifest)["joined"]
        #expect(joined?["cache_hit"] as? Bool == false, "the stitch is done again")
        let output = try #require((joined?["outputs"] as? [[String: Any]])?.first)
        #expect(output["sha256"] as? String == stitched["sha256"] as? String)
        #expect(try sha256sum(try #require(output["path"] as? String)) == stitched["sha256"] as? String)
        let runID = try #require(manifest["run_id"] as? String)
        #expect(FileManager.default.fileExists(atPath: "\(library)/runs/\(runID).json"))
        #expect(try catalogValue(library, "SELECT status FROM runs WHERE id = '\(runID)'") == "ok")
        #expect(try ReelBinary.run(["library", "verify", "--library", library]).status == 0)
    }

    @Test("a run whose record fails to commit still ends failed, with its manifest, and says why")
    func recordFails() throws {
        let scratch = try Fixtures.scratchDirectory()
        let library = scratch.appendingPathComponent("lib").path
        let clip = try Fixtures.h264AAC()
        let pipeline = try pipelineFile(
            #"{ "version": 1, "name": "x", "stages": [ { "id": "clip", "type": "fetch", "path": "\#(clip)" } ] }"#,
            in: scratch)
        let result = try ReelBinary.run(
            ["run", pipeline, "--json", "--library", library], environment: ["REEL_FAULT": "fail-run-record"])
        #expect(result.status == 1)
        let manifest = jsonObject(result.stdoutData)
        #expect(manifest["status"] as? String == "failed")
        let error = try #require(manifest["error"] as? String)
        #expect(error.hasPrefix("recording the run in the catalog failed: library catalog \(library)/catalog.sqlite: "))
        #expect(error.contains("refers to an item or run that is not there") && !error.contains("SQLite error"))
        let runID = try #require(manifest["run_id"] as? String)
        let stored = jsonObject(try Data(contentsOf: URL(fileURLWithPath: "\(library)/runs/\(runID).json")))
        #expect(stored["status"] as? String == "failed")
        #expect(try catalogValue(library, "SELECT status FROM runs WHERE id = '\(runID)'") == "failed")
        let shown = jsonObject(try ReelBinary.run(["runs", "show", runID, "--json", "--library", library]).stdoutData)
        #expect(shown["error"] as? String == error)
    }
}
