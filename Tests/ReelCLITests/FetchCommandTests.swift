import Foundation
import ReelTestSupport
import Testing

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

private func json(_ result: ProcessResult) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
}

/// The catalog's bytes (database and write-ahead log), for checking what was written.
private func catalogText(_ library: String) -> String {
    ["catalog.sqlite", "catalog.sqlite-wal"].map { name in
        String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: "\(library)/\(name)"))) ?? Data(), as: UTF8.self)
    }.joined()
}

/// A server sending a clip at `/slow.mp4` a twentieth every 500 ms: well above any minimum rate, ten seconds in all.
private func slowServer() async throws -> HTTPTestServer {
    let server = try await HTTPTestServer.start()
    let data = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC()))
    server.route("/slow.mp4", HTTPTestReply.file(data).trickling(data.count / 20 + 1, every: .milliseconds(500)))
    return server
}

@Suite("reel fetch", .serialized)
struct FetchCommandTests {
    let secret = "tok3nSecretValue9f8e7d"

    @Test("a signed URL from a provider becomes a generated library item whose bytes hash right; no token is kept")
    func fetchGenerated() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        let clip = try Fixtures.h264AAC()
        server.route("/gen/job-7/output.mp4", .file(try Data(contentsOf: URL(fileURLWithPath: clip)), etag: "\"v1\""))
        let signed =
            server.url("/gen/job-7/output.mp4")
            + "?X-Amz-Date=\(SignedURLs.amzDate(Date()))&X-Amz-Expires=1800&X-Amz-Signature=\(secret)&X-Amz-Credential=AKIA/x"
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let result = try ReelBinary.run([
            "fetch", signed, "--library", library, "--provider", "runway", "--model", "gen-4", "--prompt",
            "A cat chasing a ball", "--job-id", "job-7", "--param", "seed=42", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let item = json(result)
        #expect(item["sha256"] as? String == (try sha256sum(clip)))
        #expect(try sha256sum(try #require(item["path"] as? String)) == (try sha256sum(clip)))
        #expect(item["source_type"] as? String == "generated" && item["name"] as? String == "output.mp4")
        let generation = try #require(item["generation"] as? [String: Any])
        #expect(generation["provider"] as? String == "runway" && generation["job_id"] as? String == "job-7")
        #expect((generation["source_url"] as? String)?.contains("X-Amz-Signature=REDACTED") == true)
        #expect(generation["url_expires_at"] is String)
        #expect((item["download"] as? [String: Any])?["attempts"] as? Int == 1)
        // The URL expires within the hour: a warning, not a failure.
        #expect(result.stderr.contains("warning: source URL expires at"))
        for text in [result.stdout, result.stderr, catalogText(library)] { #expect(!text.contains(secret)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/staging").isEmpty)
    }

    @Test("an HTML page instead of a video fails as 'not a media file' and leaves nothing in the library")
    func htmlInsteadOfVideo() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        server.route("/video.mp4", .html("<html><body>Please log in</body></html>"))
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let result = try ReelBinary.run(["fetch", server.url("/video.mp4"), "--library", library])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("reel fetch: \(server.url("/video.mp4")): not a media file"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let items = try ReelBinary.run(["library", "list", "--json", "--library", library])
        #expect(json(items)["total"] as? Int == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/staging").isEmpty)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: library + "/objects").isEmpty)
    }

    @Test("an expired signed URL fails at once, naming the expiry, without a request; a 404 names the status")
    func expiredAndMissing() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        server.route("/a.mp4", .status(403))
        let yesterday = Date().addingTimeInterval(-86400 - 3600)
        let expired =
            server.url("/a.mp4")
            + "?X-Amz-Date=\(SignedURLs.amzDate(yesterday))&X-Amz-Expires=3600&X-Amz-Signature=\(secret)"
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let result = try ReelBinary.run(["fetch", expired, "--library", library])
        #expect(result.status == 1)
        #expect(result.stderr.contains("source URL expired at ") && result.stderr.contains("(1 day ago)"))
        #expect(!result.stderr.contains(secret))
        #expect(server.requests.isEmpty)

        server.route("/gone.mp4", .status(404))
        let missing = try ReelBinary.run(["fetch", server.url("/gone.mp4"), "--library", library])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("HTTP 404"))
    }

    @Test("a body above --max-size stops early, names the limit, and leaves nothing in the library")
    func maxSize() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        let body = FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: 16 << 20) ?? Data()
        server.route("/big.mp4", HTTPTestReply.file(body).chunkedEncoding())
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let result = try ReelBinary.run(["fetch", server.url("/big.mp4"), "--library", library, "--max-size", "1MiB"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("passed the 1 MiB limit"), "\(result.stderr)")
        #expect(server.bytesSent(for: "/big.mp4") < body.count / 2, "stopped early")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/staging").isEmpty)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: library + "/objects").isEmpty)
        let bad = try ReelBinary.run(["fetch", server.url("/big.mp4"), "--max-size", "lots"])
        #expect(bad.status == 2 && bad.stderr.contains("--max-size lots"))
    }

    @Test("-o writes a plain file atomically; an existing one needs --force; local paths and file:// work too")
    func outputFileAndLocalSources() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        let clip = try Fixtures.h264AAC()
        server.route("/clip.mp4", .file(try Data(contentsOf: URL(fileURLWithPath: clip))))
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("out.mp4").path
        let first = try ReelBinary.run(["fetch", server.url("/clip.mp4"), "-o", output])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try sha256sum(output) == (try sha256sum(clip)))
        let again = try ReelBinary.run(["fetch", server.url("/clip.mp4"), "-o", output])
        #expect(again.status == 1 && again.stderr.contains("use --force"))
        #expect(try ReelBinary.run(["fetch", server.url("/clip.mp4"), "-o", output, "--force"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.mp4"])

        let library = folder.appendingPathComponent("lib").path
        let local = try ReelBinary.run(["fetch", clip, "--library", library, "--json"])
        let expected = try sha256sum(clip)
        #expect(local.status == 0 && json(local)["sha256"] as? String == expected)
        let viaFileURL = try ReelBinary.run(["fetch", URL(fileURLWithPath: clip).absoluteString, "--library", library])
        #expect(viaFileURL.status == 0 && viaFileURL.stdout.contains("already in the library"))
    }

    @Test("on a terminal, progress is one line redrawn in place with bytes, percent, time left and rate")
    func progressOnATerminal() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        let clip = try Fixtures.h264AAC(seconds: 6, size: "640x360")
        let data = try Data(contentsOf: URL(fileURLWithPath: clip))
        // About a second of trickling, so the meter (at most ten redraws a second) has something to draw.
        server.route("/slow.mp4", HTTPTestReply.file(data).trickling(data.count / 20 + 1, every: .milliseconds(50)))
        let output = try Fixtures.scratchDirectory().appendingPathComponent("slow.mp4").path
        let command = [ReelBinary.path, "fetch", server.url("/slow.mp4"), "-o", output].joined(separator: " ")
        let result = try Shell.run("script", ["-qec", command, "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\rfetch: "))
        #expect(result.stdout.contains("%), ") && result.stdout.contains(" s left") && result.stdout.contains("/s"))
        #expect(try sha256sum(output) == (try sha256sum(clip)))
    }

    @Test("headers from REEL_FETCH_HEADERS reach their host and are never printed or stored")
    func headersFromEnvironment() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        let clip = try Fixtures.h264AAC()
        server.route("/api/video", .file(try Data(contentsOf: URL(fileURLWithPath: clip))))
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let result = try ReelBinary.run(
            ["fetch", server.url("/api/video"), "--library", library, "--json"],
            environment: [
                "REEL_FETCH_HEADERS": #"{"http://127.0.0.1:\#(server.port)": {"Authorization": "Bearer \#(secret)"}}"#
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requests(for: "/api/video").first?.headers["authorization"] == "Bearer \(secret)")
        for text in [result.stdout, result.stderr, catalogText(library)] { #expect(!text.contains(secret)) }
    }

    @Test("REEL_FETCH_HEADERS go only to the exact scheme, host and port of their key; plain http only if spelled out")
    func headersByOrigin() async throws {
        let server = try await HTTPTestServer.start()
        let other = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        defer { Task { await other.stop() } }
        let data = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC()))
        server.route("/clip.mp4", .file(data))
        server.route("/away", .redirect(to: other.url("/clip.mp4")))
        other.route("/clip.mp4", .file(data))
        let folder = try Fixtures.scratchDirectory()
        /// Fetches `path` with headers keyed by `key`; the Authorization header each server's last request carried.
        func fetch(_ path: String, key: String) throws -> (status: Int32, here: String?, there: String?) {
            let output = folder.appendingPathComponent("\(UUID().uuidString).mp4").path
            let result = try ReelBinary.run(
                ["fetch", server.url(path), "-o", output],
                environment: ["REEL_FETCH_HEADERS": #"{"\#(key)": {"Authorization": "Bearer \#(secret)"}}"#])
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret))
            return (
                result.status, server.requests.last?.headers["authorization"],
                other.requests.last?.headers["authorization"]
            )
        }
        let port = server.port
        // A bare host (or host:port) means https: never sent over plain http.
        for key in ["127.0.0.1", "127.0.0.1:\(port)", "https://127.0.0.1:\(port)", "http://127.0.0.1:\(other.port)"] {
            let sent = try fetch("/clip.mp4", key: key)
            #expect(sent.status == 0 && sent.here == nil, "key \(key)")
        }
        let spelledOut = try fetch("/clip.mp4", key: "http://127.0.0.1:\(port)")
        #expect(spelledOut.status == 0 && spelledOut.here == "Bearer \(secret)")
        // A redirect to another port of the same host is another origin.
        let redirected = try fetch("/away", key: "http://127.0.0.1:\(port)")
        #expect(redirected.status == 0 && redirected.here == "Bearer \(secret)" && redirected.there == nil)
        #expect(other.requests.count == 1)
        let withPath = try fetch("/clip.mp4", key: "http://127.0.0.1:\(port)/api")
        #expect(withPath.status == 1)
    }

    @Test("generation params that carry secrets are stored REDACTED, URLs in them redacted, plain values kept")
    func generationParamSecrets() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        server.route("/gen/out.mp4", .file(try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC()))))
        let (key, hook, copy) = ("sk\(secret)1", "cb\(secret)2", "sg\(secret)3")
        let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let result = try ReelBinary.run([
            "fetch", server.url("/gen/out.mp4") + "?X-Amz-Signature=\(copy)&width=640", "--library", library,
            "--provider", "runway", "--param", "api_key=\(key)",
            "--param", "callback=https://hooks.example.invalid/done?token=\(hook)", "--param", "copy=\(copy)",
            "--param", "seed=42", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let id = try #require(json(result)["id"] as? String)
        let shown = try ReelBinary.run(["library", "show", id, "--json", "--library", library])
        for output in [result, shown] {
            let generation = json(output)["generation"] as? [String: Any]
            #expect(
                generation?["params"] as? [String: String] == [
                    "api_key": "REDACTED", "callback": "https://hooks.example.invalid/done?token=REDACTED",
                    "copy": "REDACTED", "seed": "42",
                ])
        }
        for text in [result.stdout, result.stderr, shown.stdout, catalogText(library)] {
            for planted in [key, hook, copy] { #expect(!text.contains(planted)) }
        }
    }

    @Test("--timeout ends a slow but steady download, naming the limit, leaving nothing; a bad one exits 2")
    func timeout() async throws {
        let server = try await slowServer()
        defer { Task { await server.stop() } }
        let folder = try Fixtures.scratchDirectory()
        let output = folder.appendingPathComponent("out.mp4").path
        let result = try ReelBinary.run(["fetch", server.url("/slow.mp4"), "-o", output, "--timeout", "1s"])
        #expect(result.status == 1)
        #expect(
            result.stderr == "reel fetch: GET \(server.url("/slow.mp4")): timed out after 1 s\n", "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let bad = try ReelBinary.run(["fetch", server.url("/slow.mp4"), "-o", output, "--timeout", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("--timeout soon"))
    }

    @Test("a pipeline fetch stage's timeout ends a slow download, naming the limit; a bad one is a problem (exit 2)")
    func pipelineTimeout() async throws {
        let server = try await slowServer()
        defer { Task { await server.stop() } }
        let folder = try Fixtures.scratchDirectory()
        let library = folder.appendingPathComponent("lib").path
        func pipeline(timeout: String) throws -> String {
            let path = folder.appendingPathComponent("p-\(UUID().uuidString).json").path
            let text = """
                { "version": 1, "name": "slow", "stages": [
                  { "id": "clip", "type": "fetch", "url": "\(server.url("/slow.mp4"))", "timeout": \(timeout) } ] }
                """
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let result = try ReelBinary.run(["run", try pipeline(timeout: #""1s""#), "--library", library, "--json"])
        #expect(result.status == 1)
        let stages = json(result)["stages"] as? [[String: Any]] ?? []
        #expect(
            stages.first?["error"] as? String == "fetch \"clip\": GET \(server.url("/slow.mp4")): timed out after 1 s")
        let bad = try ReelBinary.run(["run", try pipeline(timeout: #""soon""#), "--library", library])
        #expect(
            bad.status == 2 && bad.stderr.contains("must be a positive time like 90s, 10m or 1h, not soon"),
            "\(bad.stderr)")
    }
}
