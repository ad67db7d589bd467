import Foundation
import ReelTestSupport
import Testing

/// Every file under `folder`, with its bytes.
private func files(under folder: String) -> [(path: String, data: Data)] {
    let paths = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
    return paths.compactMap { relative in
        let path = (folder as NSString).appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return (path, data)
    }
}

/// A port on 127.0.0.1 that nothing listens on.
private func closedPort() async throws -> Int {
    let server = try await HTTPTestServer.start()
    await server.stop()
    return server.port
}

@Suite("secrets never reach the catalog, manifests, files or output", .serialized)
struct SecretsTests {
    /// Distinct values, each planted in one place a user can put a secret; none may be found anywhere Reel writes.
    let secrets: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "pipelineParam", "pipelineParamOverride", "generationParam", "cliParam", "amzSignature", "amzCredential",
            "amzSecurityToken", "cloudFrontSignature", "cloudFrontKeyPair", "cloudFrontPolicy", "azureSig", "azureSe",
            "googSignature", "token", "accessToken", "clientSecret", "hdnts", "sessionToken", "fragment",
            "nestedSignature", "header", "remoteSecret", "remoteSessionToken", "password",
        ].map { ($0, "Zk\($0)\(UUID().uuidString.prefix(8))") })

    /// The query a signed URL carries: every vendor's secret names, a fragment, and a signed URL nested in
    /// `redirect=`, percent-encoded.
    func signedQuery() -> String {
        let nested = "https://cdn.example.invalid/a.mp4?X-Amz-Signature=\(secrets["nestedSignature"]!)&width=640"
        let encoded = nested.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let pairs = [
            "X-Amz-Signature": "amzSignature", "X-Amz-Credential": "amzCredential",
            "X-Amz-Security-Token": "amzSecurityToken", "Signature": "cloudFrontSignature",
            "Key-Pair-Id": "cloudFrontKeyPair", "Policy": "cloudFrontPolicy", "sig": "azureSig", "se": "azureSe",
            "X-Goog-Signature": "googSignature", "token": "token", "access_token": "accessToken",
            "client_secret": "clientSecret", "hdnts": "hdnts", "session_token": "sessionToken",
        ].sorted { $0.key < $1.key }.map { "\($0.key)=\(secrets[$0.value]!)" }
        return "?" + pairs.joined(separator: "&") + "&redirect=\(encoded)&width=640#token=\(secrets["fragment"]!)"
    }

    @Test("planted everywhere a user can put one, run through every command, found nowhere")
    func plantedSecretsAreFoundNowhere() async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        // Two different clips, so the pipeline's fetch is a new item with its own generation details.
        let clip = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC()))
        let scene = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC(seconds: 3)))
        for path in ["/gen/a.mp4", "/gen/b.mp4"] { server.route(path, .file(clip, etag: "\"v1\"")) }
        server.route("/gen/c.mp4", .file(scene, etag: "\"v2\""))
        server.route("/gen/denied.mp4", .status(403))
        let folder = try Fixtures.scratchDirectory()
        let library = folder.appendingPathComponent("lib").path
        let origin = "127.0.0.1:\(server.port)"
        let environment = [
            "REEL_FETCH_HEADERS": #"{"http://\#(origin)": {"Authorization": "Bearer \#(secrets["header"]!)"}}"#,
            "REEL_REMOTE_VAULT_ACCESS_KEY_ID": "AKIDVAULTTEST",
            "REEL_REMOTE_VAULT_SECRET_ACCESS_KEY": secrets["remoteSecret"]!,
            "REEL_REMOTE_VAULT_SESSION_TOKEN": secrets["remoteSessionToken"]!,
        ]
        var outputs: [(command: String, result: ProcessResult)] = []
        func reel(_ arguments: [String]) throws -> ProcessResult {
            let result = try ReelBinary.run(arguments + ["--library", library], environment: environment)
            outputs.append((arguments.prefix(2).filter { !$0.contains("://") }.joined(separator: " "), result))
            return result
        }
        let userinfo = "http://me:\(secrets["password"]!)@\(origin)"

        // A remote on a closed port: uploads fail, with the credentials in the environment.
        #expect(
            try reel([
                "remote", "add", "vault", "--endpoint", "http://127.0.0.1:\(try await closedPort())", "--bucket",
                "media",
                "--path-style",
            ]).status == 0)
        let fetched = try reel([
            "fetch", server.url("/gen/a.mp4") + signedQuery(), "--provider", "runway", "--prompt", "A cat",
            "--param", "api_key=\(secrets["cliParam"]!)", "--param", "seed=42", "--json",
        ])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let denied = try reel(["fetch", userinfo + "/gen/denied.mp4" + signedQuery()])
        #expect(denied.status == 1)
        let plain = try ReelBinary.run(
            ["fetch", server.url("/gen/b.mp4") + signedQuery(), "-o", folder.appendingPathComponent("b.mp4").path],
            environment: environment)
        outputs.append(("fetch -o", plain))
        #expect(plain.status == 0, "\(plain.stderr)")

        let pipeline = folder.appendingPathComponent("signed.json").path
        try Data(
            """
            { "version": 1, "name": "signed",
              "params": { "scene_code": "\(secrets["pipelineParam"]!)", "api_token": null },
              "stages": [
                { "id": "scene", "type": "fetch", "url": "\(server.url("/gen/c.mp4"))?X-Amz-Signature=${scene_code}",
                  "generation": { "provider": "luma", "prompt": "The sea",
                                  "params": { "token": "${api_token}", "note": "made with ${api_token}",
                                              "secret_seed": "\(secrets["generationParam"]!)", "seed": "7" } } },
                { "id": "keep", "type": "store", "inputs": ["scene"], "remote": "vault" } ] }
            """.utf8
        ).write(to: URL(fileURLWithPath: pipeline))
        let run = try reel(["run", pipeline, "--param", "api_token=\(secrets["pipelineParamOverride"]!)", "--json"])
        #expect(run.status == 1, "the store stage cannot reach the remote")
        let manifest = (try? JSONSerialization.jsonObject(with: run.stdoutData)) as? [String: Any]
        #expect(manifest?["params"] as? [String: String] == ["api_token": "REDACTED", "scene_code": "REDACTED"])
        let stages = manifest?["stages"] as? [[String: Any]] ?? []
        let uploadError = stages.first { $0["id"] as? String == "keep" }?["error"] as? String
        #expect(uploadError?.contains("connection refused") == true, "the upload was tried, with the credentials")
        let sceneID = try #require((stages.first?["outputs"] as? [[String: Any]])?.first?["item_id"] as? String)
        let shownScene = try reel(["library", "show", sceneID, "--json"])
        let generation = (try? JSONSerialization.jsonObject(with: shownScene.stdoutData) as? [String: Any])?[
            "generation"]
        #expect(
            (generation as? [String: Any])?["params"] as? [String: String] == [
                "token": "REDACTED", "note": "REDACTED", "secret_seed": "REDACTED", "seed": "7",
            ])
        let item = try #require((try? JSONSerialization.jsonObject(with: fetched.stdoutData) as? [String: Any])?["id"])
        let saved = try reel(["library", "save", "\(item)", "--remote", "vault"])
        #expect(saved.status == 1)
        _ = try reel(["remote", "test", "vault"])

        let listed = try reel(["library", "list", "--json"])
        let ids = (try? JSONSerialization.jsonObject(with: listed.stdoutData) as? [String: Any])?["items"]
        for id in (ids as? [[String: Any]] ?? []).compactMap({ $0["id"] as? String }) {
            _ = try reel(["library", "show", id, "--json"])
            _ = try reel(["library", "show", id])
        }
        #expect(
            outputs.filter { $0.command == "library show" }.count == 5, "two items, shown twice each, and the scene")
        _ = try reel(["library", "log", "--json"])
        _ = try reel(["library", "log"])
        _ = try reel(["runs", "list", "--json"])
        let runs = try reel(["runs", "list"])
        for id in runs.stdout.split(separator: "\n").compactMap({ $0.split(separator: " ").first }) {
            _ = try reel(["runs", "show", String(id)])
        }

        // The secrets went where they were meant to: the server saw them.
        let requests = server.requests
        #expect(requests.contains { $0.target.contains(secrets["amzSignature"]!) })
        #expect(requests.contains { $0.target.contains(secrets["pipelineParam"]!) })
        #expect(requests.contains { $0.headers["authorization"] == "Bearer \(secrets["header"]!)" })

        let dump = try Shell.run("sqlite3", [library + "/catalog.sqlite", ".dump"])
        #expect(dump.status == 0 && dump.stdout.contains("CREATE TABLE"), "sqlite3 .dump: \(dump.stderr)")
        var places = [("sqlite3 .dump", Data(dump.stdout.utf8))]
        places += files(under: library).map { ($0.path, $0.data) }
        // Everything else in the folder (the -o file) but the pipeline file, which is the user's own.
        places += files(under: folder.path).filter { !$0.path.hasPrefix(library) && $0.path != pipeline }.map {
            ($0.path, $0.data)
        }
        places += outputs.flatMap {
            [("\($0.command) stdout", $0.result.stdoutData), ("\($0.command) stderr", Data($0.result.stderr.utf8))]
        }
        #expect(places.contains { $0.0.hasSuffix("catalog.sqlite-wal") || $0.0.hasSuffix("catalog.sqlite") })
        #expect(places.contains { $0.0.contains("/runs/") }, "a manifest was written")
        for (name, secret) in secrets {
            for (place, data) in places where data.range(of: Data(secret.utf8)) != nil {
                Issue.record("secret \(name) found in \(place)")
            }
        }
    }
}
