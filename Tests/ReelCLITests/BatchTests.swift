import Foundation
import ReelTestSupport
import Testing

/// A batch's scratch folder: a probe + poster pipeline over one clip, whose `at` (and `clip`) come from the rows.
private struct BatchScratch {
    let folder: URL
    let pipeline: String
    let library: String

    init(pipeline json: String? = nil) throws {
        folder = try Fixtures.scratchDirectory()
        pipeline = folder.appendingPathComponent("posters.json").path
        library = folder.appendingPathComponent("lib").path
        let clip = try Fixtures.h264AAC(seconds: 2)
        let text =
            json ?? """
                {"version": 1, "name": "posters", "params": {"clip": "\(clip)", "at": null},
                 "stages": [
                   {"id": "source", "type": "fetch", "path": "${clip}"},
                   {"id": "info", "type": "probe", "input": "source"},
                   {"id": "poster", "type": "thumbnail", "input": "source", "at": "${at}", "width": 64}]}
                """
        try Data(text.utf8).write(to: URL(fileURLWithPath: pipeline))
    }

    /// Writes `text` as the rows file `name` in the folder.
    func rows(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func run(
        _ arguments: [String], environment: [String: String]? = nil
    ) throws -> (status: Int32, summary: [String: Any], stderr: String) {
        let result = try ReelBinary.run(
            ["run", pipeline] + arguments + ["--json", "--library", library], environment: environment)
        let summary = (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
        return (result.status, summary, result.stderr)
    }

    /// Rows of an SQL query on the catalog, read with the sqlite3 shell (not Reel's code), `|`-separated.
    func sql(_ query: String) throws -> [String] {
        let result = try Shell.run("sqlite3", [library + "/catalog.sqlite", query])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The keys in a JSONL manifest.
    func manifestKeys(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["key"] as? String
        }
    }
}

/// Eight rows keyed `r0`…`r7`, posters at different times.
private let eightRows = (0..<8).map { #"{"key": "r\#($0)", "at": "\#(Double($0) * 0.2)"}"# }.joined(separator: "\n")

@Suite("reel run --each", .serialized)
struct BatchTests {
    @Test("each row runs as its own run with its params; the catalog records one batch and a row per key")
    func fanOut() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows(
            "rows.jsonl", #"{"key": "a", "at": "0.2"}"# + "\n" + #"{"key": "b", "at": "1.5"}"# + "\n")
        let (status, summary, stderr) = try scratch.run(["--each", rows])
        #expect(status == 0, "\(stderr)")
        #expect(summary["ok"] as? Int == 2 && summary["failed"] as? Int == 0)
        let batch = try #require(summary["batch_id"] as? String)
        #expect(try scratch.sql("SELECT id FROM batches") == [batch])
        let recorded = try scratch.sql(
            "SELECT r.row_key, r.status, json_extract(runs.params_json, '$.at') FROM batch_rows r "
                + "JOIN runs ON runs.id = r.run_id ORDER BY r.line")
        #expect(recorded == ["a|ok|0.2", "b|ok|1.5"])
        // The two posters are different frames; the fetch and probe they share ran once.
        #expect(try scratch.sql("SELECT COUNT(DISTINCT sha256) FROM items WHERE kind = 'thumbnail'") == ["2"])
        #expect(
            try scratch.sql(
                "SELECT stage_id, SUM(cache_hit = 0), COUNT(*) FROM run_stages WHERE stage_id != 'poster' "
                    + "GROUP BY stage_id ORDER BY stage_id") == ["info|1|2", "source|1|2"])
        #expect(try scratch.manifestKeys(try #require(summary["manifest"] as? String)).sorted() == ["a", "b"])
    }

    @Test("a row missing a param is reported with its line before any work, the others run; --strict runs none")
    func missingParam() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows("rows.csv", "key,at\na,0.2\nb,\nc,1.0\n")
        let strict = try scratch.run(["--each", rows, "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("line 3") && strict.stderr.contains("\"at\""), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.library + "/catalog.sqlite"))

        let (status, summary, stderr) = try scratch.run(["--each", rows])
        #expect(status == 1)
        #expect(stderr.contains("rows.csv:3: no value for param \"at\""), "\(stderr)")
        #expect(summary["ok"] as? Int == 2 && summary["failed"] as? Int == 1)
        #expect(
            try scratch.sql("SELECT row_key, line, status FROM batch_rows ORDER BY line")
                == ["a|2|ok", "b|3|invalid", "c|4|ok"])
        #expect(try scratch.sql("SELECT COUNT(*) FROM runs") == ["2"])
    }

    @Test("running the batch again skips ok rows, re-runs failed ones and ones whose outputs were deleted")
    func resume() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows(
            "rows.jsonl",
            [#"{"key": "a", "at": "0.2"}"#, #"{"key": "b", "at": "1.0"}"#, #"{"key": "late", "at": "60"}"#]
                .joined(separator: "\n"))
        let first = try scratch.run(["--each", rows])
        #expect(first.status == 1)
        #expect(first.summary["ok"] as? Int == 2 && first.summary["failed"] as? Int == 1)
        #expect(try scratch.sql("SELECT COUNT(*) FROM runs") == ["3"])

        let second = try scratch.run(["--each", rows])
        #expect(second.summary["cached"] as? Int == 2 && second.summary["failed"] as? Int == 1)
        #expect(try scratch.sql("SELECT COUNT(*) FROM runs") == ["4"], "only the failed row ran again")

        // Row b's poster file is deleted from the library: b runs again.
        let poster = try #require(
            try scratch.sql(
                "SELECT i.sha256 || '.' || i.ext FROM batch_rows r JOIN run_outputs o ON o.run_id = r.run_id "
                    + "JOIN items i ON i.id = o.item_id WHERE r.row_key = 'b' AND o.stage_id = 'poster'"
            ).first)
        try FileManager.default.removeItem(atPath: "\(scratch.library)/objects/\(poster.prefix(2))/\(poster)")
        let third = try scratch.run(["--each", rows])
        #expect(third.summary["cached"] as? Int == 1 && third.summary["ok"] as? Int == 2)
        #expect(try scratch.sql("SELECT COUNT(*) FROM runs") == ["6"])

        let forced = try scratch.run(["--each", rows, "--rerun", "ok"])
        #expect(forced.summary["cached"] as? Int == 0)
        #expect(try scratch.sql("SELECT COUNT(*) FROM runs") == ["9"])
        #expect(try scratch.sql("SELECT COUNT(*) FROM batches") == ["1"])
    }

    @Test(
        "each row's batch record commits with its run; a row whose run cannot be recorded is recorded failed and runs again"
    )
    func rowRecordedWithItsRun() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows(
            "rows.jsonl", [#"{"key": "a", "at": "0.2"}"#, #"{"key": "b", "at": "1.0"}"#].joined(separator: "\n"))
        let broken = try scratch.run(["--each", rows], environment: ["REEL_FAULT": "fail-run-record"])
        #expect(broken.status == 1 && broken.summary["failed"] as? Int == 2)
        #expect(
            try scratch.sql(
                "SELECT b.row_key, b.status, r.status FROM batch_rows b JOIN runs r ON r.id = b.run_id ORDER BY b.row_key"
            ) == ["a|failed|failed", "b|failed|failed"])

        let fixed = try scratch.run(["--each", rows])
        #expect(fixed.status == 0 && fixed.summary["ok"] as? Int == 2 && fixed.summary["cached"] as? Int == 0)
        #expect(
            try scratch.sql(
                "SELECT b.row_key, b.status, r.status FROM batch_rows b JOIN runs r ON r.id = b.run_id ORDER BY b.row_key"
            ) == ["a|ok|ok", "b|ok|ok"])
    }

    @Test("shards 0…3 of 4 run every row exactly once between them and record one batch")
    func shards() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows("rows.jsonl", eightRows)
        var seen: [String] = []
        var batchIDs: Set<String> = []
        for index in 0..<4 {
            // Shard 2 comes from Slurm's variables, the others from --shard.
            let slurm = ["SLURM_ARRAY_TASK_ID": "\(index)", "SLURM_ARRAY_TASK_COUNT": "4"]
            let (status, summary, stderr) =
                index == 2
                ? try scratch.run(["--each", rows], environment: slurm)
                : try scratch.run(["--each", rows, "--shard", "\(index)/4"])
            #expect(status == 0, "\(stderr)")
            #expect(summary["shard"] as? String == "\(index)/4")
            batchIDs.insert(summary["batch_id"] as? String ?? "")
            seen += try scratch.manifestKeys(try #require(summary["manifest"] as? String))
        }
        #expect(seen.sorted() == (0..<8).map { "r\($0)" })
        #expect(batchIDs.count == 1)
        #expect(try scratch.sql("SELECT COUNT(*) FROM batches") == ["1"])
        #expect(try scratch.sql("SELECT COUNT(*), COUNT(DISTINCT shard) FROM batch_rows") == ["8|4"])
    }

    @Test("rows appended to the file do not move the existing rows between shards")
    func shardStability() throws {
        let scratch = try BatchScratch()
        let before = try scratch.rows("before.jsonl", eightRows)
        let more = (8..<16).map { #"{"key": "r\#($0)", "at": "0.5"}"# }.joined(separator: "\n")
        let after = try scratch.rows("after.jsonl", eightRows + "\n" + more)
        for shard in ["1/4", "3/4"] {
            let first = try scratch.run(["--each", before, "--shard", shard])
            let second = try scratch.run(["--each", after, "--shard", shard])
            let old = Set(try scratch.manifestKeys(try #require(first.summary["manifest"] as? String)))
            let new = Set(try scratch.manifestKeys(try #require(second.summary["manifest"] as? String)))
            #expect(new.filter { Int($0.dropFirst()) ?? 99 < 8 } == old)
        }
    }

    @Test("--junit writes JUnit XML with a case per row, the failed row a failure; a single run has its stages")
    func junit() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows(
            "rows.jsonl", [#"{"key": "a", "at": "0.2"}"#, #"{"key": "late", "at": "60"}"#].joined(separator: "\n"))
        let report = scratch.folder.appendingPathComponent("batch.xml").path
        _ = try scratch.run(["--each", rows, "--junit", report])
        let count = """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            cases = root.findall('.//testcase')
            print(root.get('tests'), root.get('failures'), len(cases), len([c for c in cases if c.find('failure') is not None]))
            """
        let batch = try Shell.run("python3", ["-c", count, report])
        #expect(batch.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2 1 2 1", "\(batch.stderr)")

        let single = scratch.folder.appendingPathComponent("run.xml").path
        let run = try scratch.run(["--param", "at=0.5", "--junit", single])
        #expect(run.status == 0, "\(run.stderr)")
        let stages = try Shell.run("python3", ["-c", count, single])
        #expect(stages.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "3 0 3 0", "\(stages.stderr)")
    }

    @Test(
        "bad rows or shards: one line, exit 2, nothing run",
        arguments: [
            ("rows.txt", "at\n1\n", [String]()),
            ("rows.jsonl", "[1, 2]\n", []),
            ("rows.jsonl", "{\"key\": \"a\", \"at\": \"1\"}\n{\"key\": \"a\", \"at\": \"2\"}\n", []),
            ("rows.jsonl", "", []),
            ("rows.csv", "key,at,colour\na,1,red\n", []),
            ("rows.jsonl", "{\"key\": \"a\", \"at\": \"1\"}\n", ["--shard", "4/4"]),
            ("rows.jsonl", "{\"key\": \"a\", \"at\": \"1\"}\n", ["--shard", "0/0"]),
            ("rows.jsonl", "{\"key\": \"a\", \"at\": \"1\"}\n", ["--shard", "1/4", "--slurm"]),
        ])
    func badInput(_ name: String, _ text: String, _ extra: [String]) throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows(name, text)
        let slurm = extra.contains("--slurm") ? ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"] : nil
        let (status, _, stderr) = try scratch.run(
            ["--each", rows] + extra.filter { $0 != "--slurm" }, environment: slurm)
        #expect(status == 2)
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.hasPrefix("reel run: "), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.library + "/catalog.sqlite"))
    }

    @Test("\"each\" in the pipeline names its rows file, relative to the pipeline; --each overrides it")
    func eachInPipeline() throws {
        let clip = try Fixtures.h264AAC(seconds: 2)
        let scratch = try BatchScratch(
            pipeline: """
                {"version": 1, "name": "posters", "params": {"clip": "\(clip)", "at": null}, "each": "rows/in-file.csv",
                 "stages": [{"id": "poster", "type": "thumbnail", "input": "source", "at": "${at}", "width": 64},
                            {"id": "source", "type": "fetch", "path": "${clip}"}]}
                """)
        try FileManager.default.createDirectory(
            at: scratch.folder.appendingPathComponent("rows"), withIntermediateDirectories: true)
        _ = try scratch.rows("rows/in-file.csv", "key,at\na,0.2\nb,0.4\nc,0.6\n")
        let other = try scratch.rows("other.jsonl", #"{"key": "z", "at": "1"}"#)
        // From elsewhere: the rows file is found beside the pipeline, not in the working directory.
        let fromFile = try ReelBinary.run(
            ["run", scratch.pipeline, "--json", "--library", scratch.library], currentDirectory: "/")
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(try scratch.sql("SELECT row_key FROM batch_rows ORDER BY line") == ["a", "b", "c"])
        let (status, summary, _) = try scratch.run(["--each", other])
        #expect(status == 0 && summary["rows"] as? Int == 1)
        #expect(try scratch.sql("SELECT COUNT(*) FROM batches") == ["2"])
    }

    @Test("a pipeline that is wrong whatever the rows hold is refused once, exit 2, before any row")
    func brokenPipeline() throws {
        let scratch = try BatchScratch(
            pipeline: """
                {"version": 1, "name": "broken", "params": {"at": null},
                 "stages": [{"id": "poster", "type": "thumbnail", "input": "nowhere", "at": "${at}"}]}
                """)
        let rows = try scratch.rows("rows.jsonl", (0..<5).map { #"{"at": "\#($0)"}"# }.joined(separator: "\n"))
        let (status, _, stderr) = try scratch.run(["--each", rows])
        #expect(status == 2)
        #expect(stderr.split(separator: "\n").count == 1 && stderr.contains("nowhere"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.library + "/catalog.sqlite"))
    }

    @Test("batch flags without rows are a usage error; scheduler variables do not touch a plain run")
    func flagsWithoutRows() throws {
        let scratch = try BatchScratch()
        let (status, _, stderr) = try scratch.run(["--param", "at=0.5", "--shard", "1/2"])
        #expect(status == 2 && stderr.contains("--shard needs rows"), "\(stderr)")
        let plain = try scratch.run(
            ["--param", "at=0.5"], environment: ["SLURM_ARRAY_TASK_ID": "7", "JOB_COMPLETION_INDEX": "x"])
        #expect(plain.status == 0, "\(plain.stderr)")
    }

    @Test("reel batches list and show read the batch the catalog holds")
    func batchesCommands() throws {
        let scratch = try BatchScratch()
        let rows = try scratch.rows("rows.csv", "key,at\na,0.2\nb,0.4\n")
        let (_, summary, _) = try scratch.run(["--each", rows])
        let batch = try #require(summary["batch_id"] as? String)
        let list = try ReelBinary.run(["batches", "list", "--json", "--library", scratch.library])
        let batches = try #require(try JSONSerialization.jsonObject(with: list.stdoutData) as? [[String: Any]])
        #expect(batches.map { $0["id"] as? String } == [batch])
        #expect((batches.first?["counts"] as? [String: Int])?["ok"] == 2)
        let show = try ReelBinary.run(["batches", "show", String(batch.prefix(6)), "--library", scratch.library])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("a  line 2  ok") && show.stdout.contains("b  line 3  ok"), "\(show.stdout)")
        let missing = try ReelBinary.run([
            "batches", "list", "--library", scratch.folder.appendingPathComponent("none").path,
        ])
        #expect(missing.status == 2)
    }
}
