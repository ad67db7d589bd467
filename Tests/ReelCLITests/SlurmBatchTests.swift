import Foundation
import ReelTestSupport
import Testing

/// `docs/examples/slurm-batch.sbatch`, the script the docs give users; the tests submit that very file.
private let sbatchScript = Fixtures.packageRoot.appendingPathComponent("docs/examples/slurm-batch.sbatch").path

/// Rows of a batch, each a clip of its own (the same picture remuxed with a different tag, so each is new media
/// work to the library's cache), and the pipeline they fill: probe, poster, keep.
private struct PosterBatch {
    let scratch: LibraryScratch
    let keys: [String]
    /// Each row's clip path → the row's key.
    let keyOfClip: [String: String]
    let pipeline: String
    let rows: String

    init(rows count: Int) throws {
        scratch = try LibraryScratch()
        // One keyframe in 6 s of 720p: a poster at 50 % decodes 90 frames, about half a second a row.
        let picture = try Fixtures.make(
            "slurm-batch-source", ext: "mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=6", "-g", "180"] + Fixtures.quietX264)
        keys = (0..<count).map { String(format: "clip-%02d", $0) }
        var csv = "key,clip\n"
        var keyOfClip: [String: String] = [:]
        for key in keys {
            let clip = try Fixtures.derive(
                "slurm-batch-\(key)", ext: "mp4", from: picture, ["-c", "copy", "-metadata", "comment=\(key)"])
            csv += "\(key),\(clip)\n"
            keyOfClip[clip] = key
        }
        self.keyOfClip = keyOfClip
        rows = scratch.folder.appendingPathComponent("rows.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: rows))
        pipeline = scratch.folder.appendingPathComponent("posters.json").path
        let json = """
            { "version": 1, "name": "posters", "params": { "clip": null },
              "stages": [
                { "id": "clip", "type": "fetch", "path": "${clip}" },
                { "id": "info", "type": "probe", "input": "clip" },
                { "id": "poster", "type": "thumbnail", "input": "clip", "at": "50%", "width": 640 },
                { "id": "keep", "type": "store", "inputs": ["poster"] } ] }
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: pipeline))
    }

    /// Each key's shard of `count`, worked out with Python's hashlib from the documented rule (the first 8 bytes
    /// of the key's SHA-256, big-endian, modulo the count), not with Reel's code.
    func oracleShards(count: Int) throws -> [String: String] {
        let script = """
            import hashlib, sys
            for key in sys.argv[2:]:
                digest = hashlib.sha256(key.encode()).digest()
                print(key, f"{int.from_bytes(digest[:8], 'big') % int(sys.argv[1])}/{sys.argv[1]}")
            """
        let out = try Shell.run("python3", ["-c", script, String(count)] + keys).stdout
        return Dictionary(
            uniqueKeysWithValues: out.split(separator: "\n").map {
                let fields = $0.split(separator: " ")
                return (String(fields[0]), String(fields[1]))
            })
    }

    /// `sbatch` arguments and environment running the docs' script over this batch, from the scratch folder;
    /// `shardCount` is the script's `REEL_SHARD_COUNT`, for an array of one task.
    func submission(
        array: String, tag: String, shardCount: Int? = nil
    ) -> (arguments: [String], environment: [String: String]) {
        let folder = scratch.folder.path
        var environment = [
            "REEL": ReelBinary.path, "REEL_PIPELINE": pipeline, "REEL_ROWS": rows, "REEL_LIBRARY": scratch.library,
        ]
        environment["REEL_SHARD_COUNT"] = shardCount.map(String.init)
        return (
            ["--array=\(array)", "--chdir=\(folder)", "--output=\(folder)/\(tag)-%a.out", sbatchScript], environment
        )
    }

    /// Each row key's batch status and the shard that ran it, as `sqlite3` reads the catalog.
    func batchRows() throws -> [String: (status: String, shard: String)] {
        var rows: [String: (String, String)] = [:]
        for row in try scratch.query("SELECT row_key, status, shard FROM batch_rows") {
            rows[row[0]] = (row[1], row[2])
        }
        return rows
    }

    /// How many rows of `shard` are `ok` while the batch runs: none before the first shard has made the library's
    /// catalog and its tables.
    func okRows(in shard: String) throws -> Int {
        let catalog = scratch.library + "/catalog.sqlite"
        guard FileManager.default.fileExists(atPath: catalog) else { return 0 }
        let sql = "SELECT count(*) FROM batch_rows WHERE shard = '\(shard)' AND status = 'ok'"
        let result = try Shell.run("sqlite3", ["-readonly", catalog, sql])
        return result.status == 0 ? Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
    }

    /// Every run the catalog holds, as `sqlite3` reads it: its id, its status and the row it ran (by the key of
    /// the clip in its params).
    func runs() throws -> [(id: String, status: String, key: String?)] {
        try scratch.query("SELECT id, status, json_extract(params_json, '$.clip') FROM runs").map {
            ($0[0], $0[1], keyOfClip[$0[2]])
        }
    }

    /// Each shard's JSONL manifest (`runs/<batch id>.shard-I-of-N.jsonl`), by shard (`I/N`): its lines' keys, and
    /// the keys of the rows it says were cached (finished by an earlier run, not run again).
    func manifests() throws -> [String: (keys: [String], cached: Set<String>)] {
        let folder = scratch.library + "/runs"
        var manifests: [String: ([String], Set<String>)] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".jsonl") {
            let parts = file.split(separator: ".").last { $0.hasPrefix("shard-") }?.split(separator: "-") ?? []
            let shard = parts.count == 4 ? "\(parts[1])/\(parts[3])" : file
            var keys: [String] = []
            var cached: Set<String> = []
            for line in try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                let key = object["key"] as? String ?? ""
                keys.append(key)
                if object["cached"] as? Bool == true { cached.insert(key) }
            }
            manifests[shard] = (keys, cached)
        }
        return manifests
    }
}

@Suite("reel run --each on a real Slurm cluster", .serialized)
struct SlurmBatchTests {
    @Test(
        """
        sbatch --array=0-3 of the docs' script: four shards of one batch on one library do every row once; a shard \
        cancelled mid-way and resubmitted alone (--array=K, REEL_SHARD_COUNT=4) finishes only what was missing; \
        library verify is clean
        """
    )
    func shardedBatch() throws {
        let batch = try PosterBatch(rows: 12)
        let expectedShards = try batch.oracleShards(count: 4)
        // The shard cancelled mid-way: the one with the most rows (so it has a row done and one to go).
        let sizes = Dictionary(grouping: expectedShards.values) { $0 }.mapValues(\.count)
        let victim = try #require(sizes.max { $0.value < $1.value }?.key)
        try #require(sizes[victim, default: 0] >= 2)
        let victimTask = String(victim.prefix { $0 != "/" })

        let cluster = try SlurmTestCluster.start()
        defer { try? cluster.stop() }

        let first = batch.submission(array: "0-3", tag: "first")
        let job = try cluster.submit(first.arguments, environment: first.environment)
        let deadline = Date().addingTimeInterval(40)
        var cancelled = false
        while !cancelled, Date() < deadline, try !cluster.queuedTasks(of: job).isEmpty {
            if try batch.okRows(in: victim) >= 1, try cluster.queuedTasks(of: job)[victimTask] == "RUNNING" {
                try cluster.client("scancel", ["\(job)_\(victimTask)"])
                cancelled = true
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        try cluster.wait(for: job)
        #expect(cancelled, "shard \(victim) was never seen running with a row done")

        let afterFirst = try batch.batchRows()
        let finished = Set(afterFirst.filter { $0.value.status == "ok" }.keys)
        let missing = Set(batch.keys).subtracting(finished)
        #expect(!missing.isEmpty, "shard \(victim) finished every row before it was cancelled")
        #expect(missing.allSatisfy { expectedShards[$0] == victim }, "\(missing) are not all in shard \(victim)")
        let runsBefore = Set(try batch.runs().map(\.id))

        // The cancelled task alone, as a one-task array (which does not tell the shard count, so the script passes
        // it): it runs what it missed and skips the rows it had done.
        let second = batch.submission(array: victimTask, tag: "second", shardCount: 4)
        try cluster.wait(for: try cluster.submit(second.arguments, environment: second.environment))

        let rows = try batch.batchRows()
        #expect(Set(rows.keys) == Set(batch.keys))
        #expect(rows.values.allSatisfy { $0.status == "ok" }, "\(rows)")
        #expect(rows.mapValues(\.shard) == expectedShards, "each row ran in the shard its key picks")
        let runs = try batch.runs()
        let okRuns = runs.filter { $0.status == "ok" }.compactMap(\.key)
        #expect(okRuns.sorted() == batch.keys, "every row ran ok exactly once: \(okRuns.sorted())")
        let rerun = runs.filter { !runsBefore.contains($0.id) }.compactMap(\.key)
        #expect(Set(rerun) == missing && rerun.count == missing.count, "the second submission ran \(rerun.sorted())")
        #expect(try batch.scratch.query("SELECT count(*) FROM batches") == [["1"]])

        // The shards' manifests (the first submission's, the resubmitted shard's from the second): together every
        // row once, each in its own shard; in the resubmitted one only the rows it missed were not cached.
        let manifests = try batch.manifests()
        #expect(Set(manifests.keys) == ["0/4", "1/4", "2/4", "3/4"])
        let listed = manifests.values.flatMap(\.keys)
        #expect(listed.sorted() == batch.keys, "the union of the shards' manifests is the rows, each once")
        for (shard, manifest) in manifests {
            #expect(manifest.keys.allSatisfy { expectedShards[$0] == shard }, "\(shard): \(manifest.keys)")
        }
        let resubmitted = manifests[victim]
        #expect(resubmitted.map { Set($0.keys).subtracting($0.cached) } == missing)

        let verify = try batch.scratch.reel(["library", "verify"])
        #expect(verify.status == 0 && verify.stdout.hasSuffix(" 0 problems\n"), "\(verify.stdout)\(verify.stderr)")
        #expect(try batch.scratch.rowsWithoutTheirFile().isEmpty)
    }
}
