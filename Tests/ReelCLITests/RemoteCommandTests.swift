import Foundation
import ReelTestSupport
import Synchronization
import Testing

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

private func json(_ result: ProcessResult) -> Any? { RemoteSandbox.json(result) }

@Suite("reel remote and reel library save/sync, against a real S3 server", .serialized)
struct RemoteCommandTests {
    @Test("remote add, list and remove; bad settings are invalid usage; no credential is ever written")
    func manageRemotes() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let list = try sandbox.reel(["remote", "list", "--json"])
        let remotes = try #require(json(list) as? [String: [String: Any]])
        #expect(remotes["archive"]?["bucket"] as? String == sandbox.bucket)
        #expect(remotes["archive"]?["path_style"] as? Bool == true)
        let bad = try sandbox.reel(["remote", "add", "x", "--endpoint", "ftp://host", "--bucket", "media"])
        #expect(bad.status == 2 && bad.stderr.contains("is not an http(s) URL"))
        let duplicate = try sandbox.reel(["remote", "add", "archive", "--endpoint", "http://h", "--bucket", "media"])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("--force"))
        #expect(!sandbox.storedText.contains(sandbox.server.secretAccessKey))
        let (id, _) = try sandbox.importRandom("a.bin", bytes: 1000)
        let unknown = try sandbox.reel(["library", "save", id, "--remote", "archiv"])
        #expect(unknown.status == 1 && unknown.stderr.contains(#"no remote named "archiv""#))
        #expect(unknown.stderr.contains("(remotes: archive)"))
        #expect(try sandbox.reel(["remote", "remove", "archive"]).status == 0)
        #expect((json(try sandbox.reel(["remote", "list", "--json"])) as? [String: Any])?.isEmpty == true)
    }

    @Test("remote test puts, heads, gets and deletes a probe object, and leaves nothing in the bucket")
    func remoteTest() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let result = try sandbox.reel(["remote", "test", "archive"])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ").prefix(2).joined(separator: " ")
        }
        #expect(steps == ["ok put", "ok head", "ok get", "ok delete"])
        #expect(try sandbox.server.objects(in: sandbox.bucket).isEmpty)
    }

    @Test("save --remote uploads the item under the key template; the bucket holds the same bytes; again is a no-op")
    func saveAndIdempotence() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let (id, path) = try sandbox.importRandom("clip one.bin", bytes: 300_000)
        let saved = try sandbox.reel([
            "library", "save", id, "--remote", "archive", "--key", "campaigns/${campaign}/videos/${name}-${id}.${ext}",
            "--param", "campaign=456", "--json",
        ])
        #expect(saved.status == 0, "\(saved.stderr)")
        let key = "campaigns/456/videos/clip one-\(id).bin"
        #expect((json(saved) as? [[String: Any]])?.first?["action"] as? String == "uploaded")
        let stored = try sandbox.server.objects(in: sandbox.bucket)
        #expect(stored.map(\.key) == [key])
        #expect(stored.first?.sha256 == (try sha256sum(path)))
        let copy = try #require(try sandbox.remotes(of: id).first)
        #expect(copy["status"] as? String == "done" && copy["key"] as? String == key)
        #expect(
            (copy["url"] as? String)?.hasSuffix("/\(sandbox.bucket)/campaigns/456/videos/clip%20one-\(id).bin") == true)
        #expect(
            (json(try sandbox.reel(["library", "show", id, "--json"])) as? [String: Any])?["saved"] as? Bool == true)

        let again = try sandbox.reel(["library", "save", id, "--remote", "archive", "--json"])
        #expect((json(again) as? [[String: Any]])?.first?["action"] as? String == "already-there")
        let verified = try sandbox.reel(["library", "save", id, "--remote", "archive", "--verify", "--json"])
        #expect((json(verified) as? [[String: Any]])?.first?["action"] as? String == "verified")
        #expect(try sandbox.server.objects(in: sandbox.bucket) == stored, "nothing was sent again")
        let stats = try sandbox.reel(["library", "stats"])
        #expect(stats.stdout.contains("remote archive: 1 done"))
    }

    @Test("a wrong secret: a clear auth error, the item kept and marked failed, the secret nowhere")
    func wrongSecret() throws {
        let sandbox = try RemoteSandbox(server: try S3TestServer.shared())
        let (id, _) = try sandbox.importRandom("a.bin", bytes: 10_000)
        let wrong = "WrongSecret\(UUID().uuidString.prefix(8))"
        let result = try sandbox.reel(
            ["library", "save", id, "--remote", "archive"], environment: ["AWS_SECRET_ACCESS_KEY": wrong])
        #expect(result.status == 1)
        #expect(result.stderr.contains("remote archive: signature does not match"))
        #expect(result.stderr.contains("marked failed") && result.stderr.contains("reel library sync"))
        for text in [result.stdout, result.stderr, sandbox.storedText] {
            #expect(!text.contains(wrong) && !text.contains(sandbox.server.secretAccessKey))
        }
        #expect(try sandbox.remotes(of: id).first?["status"] as? String == "failed")
        #expect(try sandbox.server.objects(in: sandbox.bucket).isEmpty)
        let missing = try ReelBinary.run(
            ["library", "save", id, "--remote", "archive", "--library", sandbox.library],
            environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
        #expect(missing.status == 1 && missing.stderr.contains("remote archive: no credentials in the environment"))
        #expect(
            missing.stderr.contains("REEL_REMOTE_ARCHIVE_ACCESS_KEY_ID") && missing.stderr.contains("marked failed"))
    }

    @Test("the server down during a save leaves the item pending; sync after the restart uploads it")
    func pendingThenSync() throws {
        let server = try S3TestServer.start()
        defer { try? server.remove() }
        let sandbox = try RemoteSandbox(server: server)
        let (id, path) = try sandbox.importRandom("late.bin", bytes: 200_000)
        try server.stop()
        let failed = try sandbox.reel(["library", "save", id, "--remote", "archive"])
        #expect(failed.status == 1 && failed.stderr.contains("cannot connect"))
        #expect(failed.stderr.contains("marked pending"))
        #expect(try sandbox.remotes(of: id).first?["status"] as? String == "pending")
        #expect(try sandbox.reel(["library", "stats"]).stdout.contains("remote archive: 1 pending"))
        try server.restart()
        let synced = try sandbox.reel(["library", "sync"])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("uploaded \(id)"))
        #expect(try sandbox.remotes(of: id).first?["status"] as? String == "done")
        #expect(try server.objects(in: sandbox.bucket).map(\.sha256) == [try sha256sum(path)])
    }

    @Test("two syncs at once upload each pending item exactly once")
    func concurrentSync() throws {
        let server = try S3TestServer.start()
        defer { try? server.remove() }
        let sandbox = try RemoteSandbox(server: server)
        try server.stop()
        let items = try (0..<4).map { try sandbox.importRandom("item\($0).bin", bytes: 2_000_000 + $0) }
        for item in items { try sandbox.reel(["library", "save", item.id, "--remote", "archive"]) }
        try server.restart()
        let outputs = Mutex<[ProcessResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let result = try? sandbox.reel(["library", "sync"]) { outputs.withLock { $0.append(result) } }
        }
        let results = outputs.withLock { $0 }
        #expect(results.count == 2 && results.allSatisfy { $0.status == 0 })
        let uploads = results.flatMap { $0.stdout.split(separator: "\n").filter { $0.hasPrefix("uploaded ") } }
        #expect(uploads.count == 4, "\(results.map(\.stdout))")
        #expect(
            Set(try server.objects(in: sandbox.bucket).map(\.sha256)) == Set(try items.map { try sha256sum($0.path) }))
        #expect(try sandbox.reel(["library", "stats"]).stdout.contains("remote archive: 4 done"))
    }
}
