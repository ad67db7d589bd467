import Foundation
import ReelTestSupport
import Testing

private func items(_ json: Any?) -> [[String: Any]] { (json as? [String: Any])?["items"] as? [[String: Any]] ?? [] }
private func ids(_ json: Any?) -> [String] { items(json).compactMap { $0["id"] as? String } }

@Suite("reel serve: API", .serialized)
struct ServeAPITests {
    @Test("starts in well under a second on a free port and prints its URL")
    func startsQuickly() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy())
        #expect(server.startup < 1.5, "took \(server.startup) s")
        #expect(try HTTPExchange.send(server.url + "/api/stats").status == 200)
    }

    @Test("items: the catalog's items newest first, a page at a time, in the shape of reel library list --json")
    func itemsPaging() throws {
        let library = try ServeLibrary.copy()
        let server = try ServeProcess(library: library)
        let all = try HTTPExchange.send(server.url + "/api/items?per_page=500")
        #expect(all.status == 200 && all.headers["content-type"]?.hasPrefix("application/json") == true)
        let catalog = try server.sql("SELECT id FROM items ORDER BY created_at DESC, id").split(separator: "\n")
        #expect(ids(all.json) == catalog.map(String.init))
        #expect(all.object["total"] as? Int == catalog.count && catalog.count >= 9)
        #expect(sameJSON(all.json, try reelJSON(["library", "list", "--per-page", "500", "--library", library])))
        let first = try HTTPExchange.send(server.url + "/api/items?per_page=4&page=1")
        let second = try HTTPExchange.send(server.url + "/api/items?per_page=4&page=2")
        #expect(ids(first.json) + ids(second.json) == Array(catalog.prefix(8)).map(String.init))
        #expect(first.object["per_page"] as? Int == 4 && second.object["page"] as? Int == 2)
    }

    @Test("filters: kind, source type, saved, text and dates select what sqlite3 selects")
    func filters() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy())
        func count(_ query: String) throws -> Int? {
            try HTTPExchange.send(server.url + "/api/items?per_page=500&" + query).object["total"] as? Int
        }
        #expect(try count("kind=video") == Int(try server.sql("SELECT COUNT(*) FROM items WHERE kind = 'video'")))
        #expect(
            try count("source_type=generated")
                == Int(try server.sql("SELECT COUNT(*) FROM items WHERE source_type = 'generated'")))
        #expect(try count("saved=true") == Int(try server.sql("SELECT COUNT(*) FROM items WHERE saved = 1")))
        #expect(try count("saved=false") == Int(try server.sql("SELECT COUNT(*) FROM items WHERE saved = 0")))
        #expect(try count("q=fractal") == 1)  // the demo's generated clip, by its prompt
        let named = try server.sql("SELECT COUNT(*) FROM items WHERE name LIKE '%landscape%'")
        #expect(try count("q=landscape") == Int(named) && named != "0")
        #expect(try count("since=2999-01-01") == 0)
        #expect(try count("until=2999-01-01") == Int(try server.sql("SELECT COUNT(*) FROM items")))
        for bad in ["kind=film", "saved=maybe", "page=0", "per_page=501", "since=yesterday", "colour=red"] {
            let reply = try HTTPExchange.send(server.url + "/api/items?" + bad)
            #expect(reply.status == 400, "\(bad)")
            #expect((reply.object["error"] as? String)?.isEmpty == false, "\(bad): \(reply.text)")
        }
    }

    @Test("one item by a unique prefix, its lineage, stats and runs: the CLI's --json shapes")
    func shapes() throws {
        let library = try ServeLibrary.copy()
        let server = try ServeProcess(library: library)
        let episode = try server.sql(
            "SELECT id FROM items WHERE id IN (SELECT item_id FROM lineage WHERE role = 'input') LIMIT 1")
        let prefix = String(episode.prefix(6))
        let item = try HTTPExchange.send(server.url + "/api/items/\(prefix)")
        #expect(sameJSON(item.json, try reelJSON(["library", "show", episode, "--library", library])))
        let lineage = try HTTPExchange.send(server.url + "/api/items/\(prefix)/lineage")
        #expect(sameJSON(lineage.json, try reelJSON(["library", "lineage", episode, "--library", library])))
        #expect((lineage.object["inputs"] as? [Any])?.count == 5)
        let derived = (lineage.object["derived"] as? [[String: Any]] ?? []).compactMap { $0["role"] as? String }
        #expect(Set(derived) == ["thumbnail-of", "sprite-of", "vtt-of"])
        let stats = try HTTPExchange.send(server.url + "/api/stats")
        #expect(sameJSON(stats.json, try reelJSON(["library", "stats", "--library", library])))
        let runs = try HTTPExchange.send(server.url + "/api/runs")
        #expect(sameJSON(runs.json, try reelJSON(["runs", "list", "--library", library])))
        let runID = try server.sql("SELECT id FROM runs LIMIT 1")
        let run = try HTTPExchange.send(server.url + "/api/runs/\(runID.prefix(8))")
        #expect(sameJSON(run.json, try reelJSON(["runs", "show", runID, "--library", library])))
        let events = try HTTPExchange.send(server.url + "/api/events?item=\(prefix)")
        #expect((events.json as? [[String: Any]])?.allSatisfy { $0["item_id"] as? String == episode } == true)
    }

    @Test("batches: the shape of reel batches list --json")
    func batches() throws {
        let library = try ServeLibrary.copy()
        let folder = try Fixtures.scratchDirectory()
        let rows = folder.appendingPathComponent("rows.csv")
        try Data("key,at\nfirst,0.5\nsecond,1\n".utf8).write(to: rows)
        let pipeline = folder.appendingPathComponent("posters.json")
        let clip = Fixtures.samplesDirectory.appendingPathComponent("landscape-640x360-30fps.mp4").path
        try Data(
            #"""
            { "version": 1, "name": "posters", "params": { "at": null }, "stages": [
              { "id": "clip", "type": "fetch", "path": "\#(clip)" },
              { "id": "poster", "type": "thumbnail", "input": "clip", "at": "${at}" } ] }
            """#.utf8
        ).write(to: pipeline)
        let ran = try ReelBinary.run(["run", pipeline.path, "--each", rows.path, "--library", library])
        #expect(ran.status == 0, "\(ran.stderr)")
        let server = try ServeProcess(library: library)
        let listed = try HTTPExchange.send(server.url + "/api/batches")
        #expect((listed.json as? [Any])?.count == 1)
        #expect(sameJSON(listed.json, try reelJSON(["batches", "list", "--library", library])))
    }

    @Test("errors are JSON with a one-line message and the right status")
    func errors() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy())
        let missing = try HTTPExchange.send(server.url + "/api/items/ffffffffffff")
        #expect(missing.status == 404 && missing.object["error"] as? String == "no item matches \"ffffffffffff\"")
        let route = try HTTPExchange.send(server.url + "/api/nothing")
        #expect(route.status == 404 && (route.object["error"] as? String)?.contains("/api/nothing") == true)
        let allIDs = try server.sql("SELECT id FROM items").split(separator: "\n")
        let shared = (0..<16).map { String(format: "%x", $0) }.first { digit in
            allIDs.filter { $0.hasPrefix(digit) }.count > 1
        }
        if let shared {
            let ambiguous = try HTTPExchange.send(server.url + "/api/items/\(shared)")
            #expect(ambiguous.status == 409 && (ambiguous.object["error"] as? String)?.contains("matches") == true)
        }
        let remote = try HTTPExchange.send(server.url + "/api/items/\(allIDs[0])/remotes/nowhere", method: "POST")
        #expect(remote.status == 400 && (remote.object["error"] as? String)?.contains("nowhere") == true)
    }
}

@Suite("reel serve: media", .serialized)
struct ServeMediaTests {
    @Test("content: the stored bytes, typed, tagged with the SHA-256, immutable, seekable with Range (206, 416)")
    func content() throws {
        let library = try ServeLibrary.copy()
        let server = try ServeProcess(library: library)
        let row = try server.sql("SELECT id, sha256, size, ext FROM items WHERE kind = 'video' LIMIT 1")
            .split(separator: "|").map(String.init)
        let (id, sha256, size) = (row[0], row[1], Int(row[2]) ?? 0)
        let url = server.url + "/api/items/\(id)/content"
        let whole = try HTTPExchange.send(url)
        #expect(whole.status == 200 && whole.body.count == size)
        let saved = try Fixtures.scratchDirectory().appendingPathComponent("whole.mp4")
        try whole.body.write(to: saved)
        #expect(try Shell.run("sha256sum", [saved.path]).stdout.hasPrefix(sha256))
        #expect(whole.headers["content-type"] == "video/mp4")
        #expect(whole.headers["etag"] == "\"\(sha256)\"")
        #expect(whole.headers["accept-ranges"] == "bytes")
        #expect(whole.headers["cache-control"]?.contains("immutable") == true)
        let part = try HTTPExchange.send(url, headers: ["Range: bytes=1000-1999"])
        #expect(part.status == 206 && part.headers["content-range"] == "bytes 1000-1999/\(size)")
        let slice = try Shell.run("sh", ["-c", "tail -c +1001 '\(saved.path)' | head -c 1000 | sha256sum"]).stdout
        let partFile = try Fixtures.scratchDirectory().appendingPathComponent("part")
        try part.body.write(to: partFile)
        #expect(try Shell.run("sha256sum", [partFile.path]).stdout.prefix(64) == slice.prefix(64))
        let tail = try HTTPExchange.send(url, headers: ["Range: bytes=-10"])
        #expect(tail.status == 206 && tail.body == whole.body.suffix(10))
        let open = try HTTPExchange.send(url, headers: ["Range: bytes=\(size - 5)-"])
        #expect(open.status == 206 && open.body.count == 5)
        let past = try HTTPExchange.send(url, headers: ["Range: bytes=\(size)-"])
        #expect(past.status == 416 && past.headers["content-range"] == "bytes */\(size)")
        let cached = try HTTPExchange.send(url, headers: ["If-None-Match: \"\(sha256)\""])
        #expect(cached.status == 304 && cached.body.isEmpty)
        let stale = try HTTPExchange.send(url, headers: ["Range: bytes=0-9", "If-Range: \"other\""])
        #expect(stale.status == 200 && stale.body.count == size)
        let head = try HTTPExchange.send(url, method: "HEAD")
        #expect(head.status == 200 && head.headers["content-length"] == String(size))
    }

    @Test("a large object streams from disk: serving 256 MiB leaves the server's peak memory far below that")
    func streamsLargeObjects() throws {
        let library = try ServeLibrary.copy()
        let big = try Fixtures.scratchDirectory().appendingPathComponent("big.bin").path
        try Shell.run("sh", ["-c", "head -c 268435456 /dev/urandom > '\(big)'"])
        let imported = try ReelBinary.run(["library", "import", big, "--kind", "other", "--library", library, "--json"])
        let id = try #require(
            ((try? JSONSerialization.jsonObject(with: imported.stdoutData)) as? [[String: Any]])?
                .first?["id"] as? String)
        let sha256 = try Shell.run("sha256sum", [big]).stdout.prefix(64)
        let server = try ServeProcess(library: library)
        let check = try Shell.run(
            "sh", ["-c", "curl -s \(server.url)/api/items/\(id)/content | sha256sum"])
        #expect(check.stdout.prefix(64) == sha256)
        let status = try String(
            contentsOfFile: "/proc/\(server.process.process.processIdentifier)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kilobytes = Int(peak?.split(separator: " ").dropFirst().first ?? "") ?? Int.max
        #expect(kilobytes < 128 * 1024, "peak resident \(kilobytes) kB")
    }

    @Test("no path from a request reaches the disk: .., encoded slashes and dots are not items")
    func traversal() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy())
        let attempts = [
            "/api/items/../../catalog.sqlite", "/api/items/..%2F..%2Fcatalog.sqlite/content",
            "/api/items/%2e%2e%2f%2e%2e%2fetc%2fpasswd/content", "/../../../etc/passwd",
            "/assets/..%2f..%2fetc%2fpasswd",
            "/assets/../catalog.sqlite", "/api/items/%2fetc%2fpasswd/content", "/items/..%5c..%5cetc%5cpasswd",
        ]
        for path in attempts {
            let reply = try HTTPExchange.send(server.url + path)
            #expect(reply.status == 404, "\(path): \(reply.status)")
            #expect(!reply.text.contains("root:") && !reply.text.contains("SQLite format"), "\(path)")
        }
    }

    @Test("a symlink planted in objects/ (for the file or its folder) is refused, not followed")
    func symlinks() throws {
        let library = try ServeLibrary.copy()
        let server = try ServeProcess(library: library)
        let rows = try server.sql("SELECT id, sha256, ext FROM items WHERE kind = 'video' ORDER BY id LIMIT 2")
            .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        let secret = try Fixtures.scratchDirectory().appendingPathComponent("secret.mp4").path
        try Data("root:x:0:0:secret".utf8).write(to: URL(fileURLWithPath: secret))
        let first = "\(library)/objects/\(rows[0][1].prefix(2))/\(rows[0][1]).\(rows[0][2])"
        try FileManager.default.removeItem(atPath: first)
        try FileManager.default.createSymbolicLink(atPath: first, withDestinationPath: secret)
        let file = try HTTPExchange.send(server.url + "/api/items/\(rows[0][0])/content")
        #expect(file.status == 410 && !file.text.contains("secret"), "\(file.status) \(file.text)")
        let folder = "\(library)/objects/\(rows[1][1].prefix(2))"
        let elsewhere = try Fixtures.scratchDirectory().appendingPathComponent("moved").path
        try FileManager.default.moveItem(atPath: folder, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: elsewhere)
        let moved = try HTTPExchange.send(server.url + "/api/items/\(rows[1][0])/content")
        #expect(moved.status == 410 && (moved.object["error"] as? String)?.contains("symlink") == true)
    }
}

@Suite("reel serve: pages and security", .serialized)
struct ServeSecurityTests {
    @Test("a planted <script> name is escaped on every page that shows it")
    func escapesNames() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy())
        let id = try server.sql("SELECT id FROM items WHERE name LIKE '<script>%'")
        for path in ["/", "/items/\(id)", "/?q=script"] {
            let page = try HTTPExchange.send(server.url + path)
            #expect(
                page.status == 200 && page.text.contains("&lt;script&gt;window.reelPwned=1&lt;/script&gt;"), "\(path)")
            #expect(!page.text.contains("<script>window") && !page.text.contains("<img src=x"), "\(path)")
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        }
    }

    @Test("save and unsave change the catalog; another origin or site is refused")
    func saveAndOrigin() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy())
        let id = try server.sql("SELECT id FROM items WHERE saved = 0 LIMIT 1")
        let foreign = try HTTPExchange.send(
            server.url + "/api/items/\(id)/save", method: "POST", headers: ["Origin: http://evil.example"])
        #expect(foreign.status == 403 && (foreign.object["error"] as? String)?.contains("evil.example") == true)
        let site = try HTTPExchange.send(
            server.url + "/api/items/\(id)/save", method: "POST", headers: ["Sec-Fetch-Site: cross-site"])
        #expect(site.status == 403)
        #expect(try server.sql("SELECT saved FROM items WHERE id = '\(id)'") == "0")
        let own = try HTTPExchange.send(
            server.url + "/api/items/\(id)/save", method: "POST",
            headers: ["Origin: \(server.url)", "Sec-Fetch-Site: same-origin"])
        #expect(own.status == 200 && own.object["saved"] as? Bool == true)
        #expect(try server.sql("SELECT saved FROM items WHERE id = '\(id)'") == "1")
        let unsave = try HTTPExchange.send(server.url + "/api/items/\(id)/unsave", method: "POST")
        #expect(unsave.status == 200)
        #expect(try server.sql("SELECT saved FROM items WHERE id = '\(id)'") == "0")
        let get = try HTTPExchange.send(server.url + "/api/items/\(id)/save")
        #expect(get.status == 404 || get.status == 405)
    }

    @Test("--read-only refuses every change")
    func readOnly() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy(), arguments: ["--read-only"])
        let id = try server.sql("SELECT id FROM items WHERE saved = 0 LIMIT 1")
        let reply = try HTTPExchange.send(server.url + "/api/items/\(id)/save", method: "POST")
        #expect(reply.status == 403 && (reply.object["error"] as? String)?.contains("read-only") == true)
        #expect(try server.sql("SELECT saved FROM items WHERE id = '\(id)'") == "0")
        #expect(try HTTPExchange.send(server.url + "/api/items").status == 200)
    }

    @Test("with REEL_SERVE_TOKEN every request needs it, as a bearer header or the login cookie")
    func token() throws {
        let server = try ServeProcess(library: try ServeLibrary.copy(), environment: ["REEL_SERVE_TOKEN": "s3cret"])
        #expect(String(decoding: server.process.stdout, as: UTF8.self).contains("/login?token=s3cret"))
        let none = try HTTPExchange.send(server.url + "/api/items")
        #expect(none.status == 401 && (none.object["error"] as? String)?.contains("token") == true)
        #expect(try HTTPExchange.send(server.url + "/", headers: ["Authorization: Bearer wrong"]).status == 401)
        #expect(
            try HTTPExchange.send(server.url + "/api/items", headers: ["Authorization: Bearer s3cret"]).status == 200)
        let wrong = try HTTPExchange.send(server.url + "/login?token=guess")
        #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil)
        let login = try HTTPExchange.send(server.url + "/login?token=s3cret")
        let cookie = try #require(login.headers["set-cookie"])
        #expect(login.status == 303 && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let pair = String(cookie.split(separator: ";")[0])
        #expect(try HTTPExchange.send(server.url + "/stats", headers: ["Cookie: \(pair)"]).status == 200)
    }

    @Test("another address than loopback without a token is refused before listening (exit 2)")
    func publicNeedsToken() throws {
        let library = try ServeLibrary.copy()
        let refused = try ReelBinary.run(["serve", "--library", library, "--listen", "0.0.0.0:0"])
        #expect(refused.status == 2 && refused.stderr.contains("REEL_SERVE_TOKEN"))
        let bad = try ReelBinary.run(["serve", "--library", library, "--listen", "localhost"])
        #expect(bad.status == 2 && bad.stderr.contains("HOST:PORT"))
        let missing = try ReelBinary.run(["serve", "--library", library + "/nothing-here"])
        #expect(missing.status == 2 && missing.stderr.contains("no library at"))
    }
}

@Suite("reel serve: in a real browser", .serialized)
struct ServeBrowserTests {
    @Test("Chromium: gallery, Save, video play and seek, scrub preview, lineage links, a planted script (screenshots)")
    func browser() throws {
        let library = try ServeLibrary.copy()
        let server = try ServeProcess(library: library)
        let artifacts =
            ProcessInfo.processInfo.environment["REEL_ARTIFACTS"]
            ?? Fixtures.packageRoot.appendingPathComponent(".build/artifacts/serve").path
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/browser/serve_browser.py").path
        let result = try Shell.run("/usr/bin/python3", [script, server.url, library, artifacts])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    }
}
