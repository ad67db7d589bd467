import Foundation
import ReelTestSupport
import Synchronization
import Testing

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

private func json(_ result: ProcessResult) -> Any? { RemoteSandbox.json(result) }

/// The bucket's keys and the SHA-256 of each object's bytes, as boto3 reads them back.
private func contents(of sandbox: RemoteSandbox) throws -> [String: String] {
    Dictionary(uniqueKeysWithValues: try sandbox.server.objects(in: sandbox.bucket).map { ($0.key, $0.sha256) })
}

/// A pipeline file in the sandbox's folder.
private func pipelineFile(_ sandbox: RemoteSandbox, _ text: String) throws -> String {
    let path = sandbox.folder.appendingPathComponent("pipeline-\(UUID().uuidString.prefix(8)).json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("remote keys: one key holds one item, built-in names stay built in, --verify keeps what it cannot check")
struct RemoteKeyTests {
    @Test("a key recorded for another item is refused in one line naming both items and the key; unique on request")
    func keyRecordedForAnotherItem() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let monday = try sandbox.importRandom("ep.mp4", bytes: 50_000, subfolder: "monday")
        let tuesday = try sandbox.importRandom("ep.mp4", bytes: 60_000, subfolder: "tuesday")
        let template = "v/${name}.${ext}"
        let saved = try sandbox.reel(["library", "save", monday.id, "--remote", "archive", "--key", template])
        #expect(saved.status == 0, "\(saved.stderr)")

        let refused = try sandbox.reel(["library", "save", tuesday.id, "--remote", "archive", "--key", template])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        for part in ["v/ep.mp4", monday.id, tuesday.id] { #expect(refused.stderr.contains(part), "\(refused.stderr)") }
        #expect(try contents(of: sandbox) == ["v/ep.mp4": try sha256sum(monday.path)], "the first is not overwritten")
        #expect(try sandbox.remotes(of: tuesday.id).isEmpty, "nothing is recorded for the refused item")
        #expect(try sandbox.remotes(of: monday.id).first?["status"] as? String == "done")
        let synced = try sandbox.reel(["library", "sync"])
        #expect(synced.status == 0 && synced.stdout.contains("0 uploaded"), "\(synced.stdout)\(synced.stderr)")

        let unique = try sandbox.reel([
            "library", "save", tuesday.id, "--remote", "archive", "--key", template, "--on-conflict", "unique",
            "--json",
        ])
        #expect(unique.status == 0, "\(unique.stderr)")
        let uniqueKey = "v/ep-\(tuesday.id).mp4"
        #expect((json(unique) as? [[String: Any]])?.first?["key"] as? String == uniqueKey)
        #expect(
            try contents(of: sandbox) == [
                "v/ep.mp4": try sha256sum(monday.path), uniqueKey: try sha256sum(tuesday.path),
            ])
    }

    @Test("a key held by a pending copy of another item is refused too, before any request")
    func keyPendingForAnotherItem() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let added = try sandbox.reel([
            "remote", "add", "offline", "--endpoint", "http://127.0.0.1:1", "--bucket", "offline-bucket",
            "--path-style",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let first = try sandbox.importRandom("a.bin", bytes: 1000)
        let second = try sandbox.importRandom("b.bin", bytes: 1001)
        let pending = try sandbox.reel(["library", "save", first.id, "--remote", "offline", "--key", "same.bin"])
        #expect(pending.status == 1 && pending.stderr.contains("marked pending"), "\(pending.stderr)")
        let refused = try sandbox.reel(["library", "save", second.id, "--remote", "offline", "--key", "same.bin"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(first.id) && refused.stderr.contains("same.bin"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("cannot connect"), "refused by the catalog, before any request")
        #expect(try sandbox.remotes(of: second.id).isEmpty)
    }

    @Test("an object another tool put at the key is never overwritten: other SHA-256, other size, or unknown hash")
    func foreignObjectAtKey() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let item = try sandbox.importRandom("clip.bin", bytes: 20_000)
        let itemSHA = try sha256sum(item.path)
        let other = FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: 20_000) ?? Data()
        let otherFile = sandbox.folder.appendingPathComponent("other.bin")
        try other.write(to: otherFile)
        let otherSHA = try sha256sum(otherFile.path)
        let foreign: [(key: String, body: Data, metadata: [String: String])] = [
            ("foreign/hashed.bin", other, ["sha256": otherSHA]),
            ("foreign/smaller.bin", other.prefix(19_000), [:]),
            ("foreign/unknown.bin", other, [:]),
        ]
        for object in foreign {
            try sandbox.server.putObject(
                sandbox.bucket, key: object.key, contents: object.body, metadata: object.metadata)
        }
        let before = try contents(of: sandbox)
        for object in foreign {
            let refused = try sandbox.reel(["library", "save", item.id, "--remote", "archive", "--key", object.key])
            #expect(refused.status == 1, "\(object.key)")
            #expect(refused.stderr.contains(object.key) && refused.stderr.contains(item.id), "\(refused.stderr)")
            #expect(try sandbox.remotes(of: item.id).isEmpty, "\(object.key): nothing recorded")
        }
        #expect(try contents(of: sandbox) == before, "every foreign object is as it was")

        let unique = try sandbox.reel([
            "library", "save", item.id, "--remote", "archive", "--key", "foreign/unknown.bin", "--on-conflict",
            "unique",
        ])
        #expect(unique.status == 0, "\(unique.stderr)")
        #expect(try contents(of: sandbox)["foreign/unknown-\(item.id).bin"] == itemSHA)
        #expect(try contents(of: sandbox)["foreign/unknown.bin"] == otherSHA)
    }

    @Test("the same bytes already at the key, with their SHA-256 in the metadata, are taken as the item's copy")
    func sameBytesAtKey() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let item = try sandbox.importRandom("clip.bin", bytes: 20_000)
        let itemSHA = try sha256sum(item.path)
        try sandbox.server.putObject(
            sandbox.bucket, key: "mine.bin", contents: try Data(contentsOf: URL(fileURLWithPath: item.path)),
            metadata: ["sha256": itemSHA])
        let saved = try sandbox.reel(["library", "save", item.id, "--remote", "archive", "--key", "mine.bin"])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(try sandbox.remotes(of: item.id).first?["status"] as? String == "done")
        #expect(try contents(of: sandbox) == ["mine.bin": itemSHA])
    }

    @Test("two processes saving two different items to one key at once: exactly one wins; bucket and catalog agree")
    func raceForOneKey() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        for round in 0..<3 {
            let items = try (0..<2).map {
                try sandbox.importRandom("ep.mp4", bytes: 300_000 + $0, subfolder: "round\(round)-\($0)")
            }
            let key = "race/\(round)/ep.mp4"
            let results = Mutex<[Int: ProcessResult]>([:])
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let result = try? sandbox.reel([
                    "library", "save", items[index].id, "--remote", "archive", "--key", key,
                ])
                results.withLock { $0[index] = result }
            }
            let outcome = results.withLock { $0 }
            let statuses = (0..<2).map { outcome[$0]?.status ?? -1 }
            #expect(statuses.sorted() == [0, 1], "round \(round): \(outcome.values.map(\.stderr))")
            guard let winner = statuses.firstIndex(of: 0), let loser = statuses.firstIndex(of: 1) else { continue }
            let message = outcome[loser]?.stderr ?? ""
            #expect(message.contains(key) && message.contains(items[winner].id) && message.contains(items[loser].id))
            let objects = try sandbox.server.objects(in: sandbox.bucket, prefix: "race/\(round)/")
            let winnerSHA = try sha256sum(items[winner].path)
            #expect(objects.map(\.key) == [key] && objects.first?.sha256 == winnerSHA)
            let rows = try sandbox.sqlite("SELECT item_id, status FROM remote_copies WHERE key = '\(key)'")
            #expect(rows.stdout == "\(items[winner].id)|done\n")
        }
    }

    @Test("the catalog itself refuses a second row at one remote key")
    func catalogRefusesSecondRow() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let first = try sandbox.importRandom("a.bin", bytes: 1000)
        let second = try sandbox.importRandom("b.bin", bytes: 1001)
        #expect(try sandbox.reel(["library", "save", first.id, "--remote", "archive", "--key", "k.bin"]).status == 0)
        let inserted = try sandbox.sqlite(
            "INSERT INTO remote_copies (item_id, remote, key, status) VALUES ('\(second.id)', 'archive', 'k.bin', "
                + "'pending')")
        #expect(inserted.status != 0 && inserted.stderr.contains("UNIQUE constraint failed"), "\(inserted.stderr)")
    }

    @Test("a catalog from before the unique key: the copy saved last keeps the key, the others move to unique keys")
    func migrationOfCollidingRows() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let early = try sandbox.importRandom("ep.mp4", bytes: 40_000, subfolder: "early")
        let late = try sandbox.importRandom("ep.mp4", bytes: 41_000, subfolder: "late")
        let waiting = try sandbox.importRandom("ep.mp4", bytes: 42_000, subfolder: "waiting")
        let saved = try sandbox.reel(["library", "save", late.id, "--remote", "archive", "--key", "v/ep.mp4"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let lateRow = try sandbox.copyRows()[late.id]
        // What the Reel before the unique key could leave: `early` saved to the key first (its upload since
        // overwritten by `late`'s), and `waiting` still pending for it.
        let fabricated = try sandbox.sqlite(
            """
            DROP INDEX IF EXISTS remote_copies_remote_key;
            DELETE FROM grdb_migrations WHERE identifier = 'v3-remote-key-unique';
            INSERT INTO remote_copies (item_id, remote, key, url, etag, status, saved_at) VALUES
              ('\(early.id)', 'archive', 'v/ep.mp4', 'http://example.invalid/v/ep.mp4', 'e0', 'done',
               '2001-01-01 00:00:00.000'),
              ('\(waiting.id)', 'archive', 'v/ep.mp4', NULL, NULL, 'pending', NULL);
            """)
        #expect(fabricated.status == 0, "\(fabricated.stderr)")

        #expect(try sandbox.reel(["library", "stats"]).status == 0)
        let rows = try sandbox.copyRows()
        #expect(rows[late.id] == lateRow, "the copy the bucket holds keeps its record")
        #expect(rows[early.id] == "'v/ep-\(early.id).mp4'|NULL|NULL|NULL|'pending'|NULL")
        #expect(rows[waiting.id] == "'v/ep-\(waiting.id).mp4'|NULL|NULL|NULL|'pending'|NULL")
        let events = try sandbox.sqlite(
            "SELECT message FROM events WHERE item_id = '\(early.id)' AND kind LIKE 'upload%'")
        #expect(events.stdout.contains("v/ep.mp4") && events.stdout.contains(late.id), "\(events.stdout)")

        let synced = try sandbox.reel(["library", "sync"])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(
            try contents(of: sandbox) == [
                "v/ep.mp4": try sha256sum(late.path), "v/ep-\(early.id).mp4": try sha256sum(early.path),
                "v/ep-\(waiting.id).mp4": try sha256sum(waiting.path),
            ])
    }

    @Test("--param may not replace a built-in key name: invalid usage (exit 2) before any work")
    func paramShadowingBuiltIn() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let item = try sandbox.importRandom("a.bin", bytes: 1000)
        for name in ["id", "sha256", "ext", "name", "uuid", "date", "stage"] {
            let result = try sandbox.reel([
                "library", "save", item.id, "--remote", "archive", "--key", "v/${\(name)}.bin", "--param", "\(name)=x",
            ])
            #expect(result.status == 2, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("--param \(name)") && result.stderr.contains("built-in"), "\(result.stderr)")
        }
        #expect(try sandbox.remotes(of: item.id).isEmpty)
        #expect(try contents(of: sandbox).isEmpty)
    }

    @Test("a pipeline param named like a built-in key name, used in a store key, is a validation error (exit 2)")
    func pipelineParamShadowingBuiltIn() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let clip = Fixtures.samplesDirectory.appendingPathComponent("landscape-640x360-30fps.mp4").path
        let shadowing = try pipelineFile(
            sandbox,
            """
            { "version": 1, "name": "shadow", "params": { "id": "fixed" }, "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "keep", "type": "store", "inputs": ["clip"], "remote": "archive", "key": "v/${id}.${ext}" } ] }
            """)
        for arguments in [["validate", shadowing], ["run", shadowing, "--library", sandbox.library]] {
            let result = try ReelBinary.run(arguments)
            #expect(result.status == 2, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("${id}") && result.stderr.contains("built-in"), "\(result.stderr)")
        }
        #expect(try contents(of: sandbox).isEmpty)
        let elsewhere = try pipelineFile(
            sandbox,
            """
            { "version": 1, "name": "elsewhere", "params": { "name": "intro" }, "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)", "name": "${name}.mp4" },
              { "id": "keep", "type": "store", "inputs": ["clip"], "remote": "archive", "key": "v/${id}.${ext}" } ] }
            """)
        let valid = try ReelBinary.run(["validate", elsewhere, "--library", sandbox.library])
        #expect(valid.status == 0, "a param used elsewhere is fine: \(valid.stderr)")
    }

    @Test("a store stage whose key is recorded for another item fails with the same message; nothing overwritten")
    func storeStageConflict() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let first = try sandbox.importRandom("clip.mp4", bytes: 30_000)
        #expect(
            try sandbox.reel(["library", "save", first.id, "--remote", "archive", "--key", "v/clip.mp4"]).status == 0)
        let clip = Fixtures.samplesDirectory.appendingPathComponent("landscape-640x360-30fps.mp4").path
        let pipeline = try pipelineFile(
            sandbox,
            """
            { "version": 1, "name": "conflict", "stages": [
              { "id": "clip", "type": "fetch", "path": "\(clip)" },
              { "id": "keep", "type": "store", "inputs": ["clip"], "remote": "archive", "key": "v/clip.mp4" } ] }
            """)
        let result = try sandbox.reel(["run", pipeline, "--json"])
        #expect(result.status == 1)
        let stages = (json(result) as? [String: Any])?["stages"] as? [[String: Any]] ?? []
        let clipID = (stages.first { $0["id"] as? String == "clip" }?["outputs"] as? [[String: Any]])?.first?["item_id"]
        let error = stages.first { $0["id"] as? String == "keep" }?["error"] as? String ?? ""
        for part in ["v/clip.mp4", first.id, clipID as? String ?? "?"] { #expect(error.contains(part), "\(error)") }
        #expect(try contents(of: sandbox) == ["v/clip.mp4": try sha256sum(first.path)])
    }

    @Test("save --verify without credentials, or with the server down, leaves a done copy byte for byte (exit 1)")
    func verifyCannotCheck() throws {
        let server = try S3TestServer.start()
        defer { try? server.remove() }
        let sandbox = try RemoteSandbox(server: server)
        let item = try sandbox.importRandom("kept.bin", bytes: 30_000)
        #expect(try sandbox.reel(["library", "save", item.id, "--remote", "archive"]).status == 0)
        let before = try #require(try sandbox.copyRows()[item.id])
        #expect(before.contains("'done'") && before.contains("'http"), "\(before)")

        let noCredentials = try sandbox.reel(
            ["library", "save", item.id, "--remote", "archive", "--verify"],
            environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
        #expect(noCredentials.status == 1 && noCredentials.stderr.contains("no credentials"), "\(noCredentials.stderr)")
        #expect(try sandbox.copyRows()[item.id] == before)

        try server.stop()
        let down = try sandbox.reel(["library", "save", item.id, "--remote", "archive", "--verify"])
        #expect(down.status == 1 && down.stderr.contains("cannot connect"), "\(down.stderr)")
        #expect(try sandbox.copyRows()[item.id] == before)

        try server.restart()
        let verified = try sandbox.reel(["library", "save", item.id, "--remote", "archive", "--verify", "--json"])
        #expect((json(verified) as? [[String: Any]])?.first?["action"] as? String == "verified", "\(verified.stderr)")
        #expect(try sandbox.copyRows()[item.id] == before)
    }

    @Test("save --verify re-sends a copy only when the server says it is missing; a foreign object is left alone")
    func verifyMissingOrReplaced() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let item = try sandbox.importRandom("kept.bin", bytes: 30_000)
        let key = "\(item.id).bin"
        #expect(try sandbox.reel(["library", "save", item.id, "--remote", "archive"]).status == 0)
        try sandbox.server.deleteObject(sandbox.bucket, key: key)
        let resent = try sandbox.reel(["library", "save", item.id, "--remote", "archive", "--verify", "--json"])
        #expect((json(resent) as? [[String: Any]])?.first?["action"] as? String == "uploaded", "\(resent.stderr)")
        #expect(try contents(of: sandbox) == [key: try sha256sum(item.path)])

        let before = try sandbox.copyRows()[item.id]
        let replacement = Data("someone else's bytes".utf8)
        try sandbox.server.putObject(sandbox.bucket, key: key, contents: replacement)
        let replaced = try sandbox.reel(["library", "save", item.id, "--remote", "archive", "--verify"])
        #expect(replaced.status == 1 && replaced.stderr.contains(key), "\(replaced.stderr)")
        #expect(try sandbox.server.objects(in: sandbox.bucket).map(\.size) == [replacement.count], "not overwritten")
        #expect(try sandbox.copyRows()[item.id] == before)
    }
}
