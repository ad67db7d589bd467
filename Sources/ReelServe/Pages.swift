import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import ReelLibrary

/// The pages: gallery, item, runs, run, stats. Rendered here from the same library calls the API makes, every
/// name escaped; the little behaviour they have (Save, the scrub preview) is in `/assets/reel.js`.
struct Pages: Sendable {
    let library: Library

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in try gallery(request) }
        router.get("/items/:id") { _, context in try itemPage(try context.parameters.require("id")) }
        router.get("/runs") { _, _ in try runsPage() }
        router.get("/runs/:id") { _, context in try runPage(try context.parameters.require("id")) }
        router.get("/stats") { _, _ in try statsPage() }
        router.get("/assets/reel.css") { _, _ in HTMLPage.asset(Assets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/reel.js") { _, _ in HTMLPage.asset(Assets.js, type: "text/javascript; charset=utf-8") }
    }

    private typealias H = HTMLPage

    // MARK: Gallery

    private func gallery(_ request: Request) throws -> Response {
        let query = try ItemQuery(request.uri, defaultPerPage: 24)
        let page = try library.items(matching: query.filter, page: query.page, perPage: query.perPage)
        let posters = try library.posters(of: page.items.filter { $0.kind == ItemKind.video }.map { $0.id })
        let cards = page.items.map { card($0, poster: posters[$0.id]) }.joined(separator: "\n")
        let pages = max(1, (page.total + page.perPage - 1) / page.perPage)
        let form = ItemQuery.form(request.uri.query).filter { $0.key != "page" }
        func link(_ number: Int, _ label: String) -> String {
            let query = (form + [("page", String(number))]).map { "\(encode($0.key))=\(encode($0.value))" }
            return "<a href=\"/?\(H.escape(query.joined(separator: "&")))\">\(label)</a>"
        }
        let pager = [
            query.page > 1 ? link(query.page - 1, "← newer") : "",
            "<span>page \(query.page) of \(pages), \(page.total) items</span>",
            query.page < pages ? link(query.page + 1, "older →") : "",
        ].joined(separator: " ")
        let body = """
            <h1>Library</h1>
            \(filters(query, values: Dictionary(form.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })))
            <div class="grid" id="gallery">\(cards.isEmpty ? "<p>No items match.</p>" : cards)</div>
            <p class="pager">\(pager)</p>
            """
        return H.response(title: "Library", body: body)
    }

    private func filters(_ query: ItemQuery, values: [String: String]) -> String {
        func select(_ name: String, _ options: [String]) -> String {
            let chosen = values[name] ?? ""
            let items = ([""] + options).map { option in
                "<option value=\"\(H.escape(option))\"\(option == chosen ? " selected" : "")>"
                    + "\(option.isEmpty ? "any \(name.replacingOccurrences(of: "_", with: " "))" : H.escape(option))"
                    + "</option>"
            }
            return "<select name=\"\(name)\">\(items.joined())</select>"
        }
        return """
            <form class="filters" method="get" action="/">
            \(select("kind", ItemKind.allCases.map(\.rawValue)))
            \(select("source_type", SourceType.allCases.map(\.rawValue)))
            \(select("saved", ["true", "false"]))
            <input type="search" name="q" placeholder="name, prompt, id" value="\(H.escape(values["q"] ?? ""))">
            <label>since <input type="date" name="since" value="\(H.escape(values["since"] ?? ""))"></label>
            <label>until <input type="date" name="until" value="\(H.escape(values["until"] ?? ""))"></label>
            <button type="submit">Filter</button>
            </form>
            """
    }

    private func card(_ item: Item, poster: String?) -> String {
        let image =
            [ItemKind.thumbnail, .sprite].contains(item.kind) ? item.id : poster
        let picture =
            image.map { "<img loading=\"lazy\" alt=\"\" src=\"/api/items/\($0)/content\">" }
            ?? "<div class=\"noposter\">\(item.kind.rawValue)</div>"
        return """
            <article class="card \(item.saved ? "saved" : "draft")" data-id="\(item.id)">
            <a href="/items/\(item.id)">\(picture)</a>
            <div class="meta"><a class="name" href="/items/\(item.id)">\(H.escape(item.name))</a>
            <span class="badge">\(item.saved ? "saved" : "draft")</span>
            <span>\(item.kind.rawValue) · \(item.sourceType.rawValue) · \(H.bytes(item.size))</span>
            \(saveButton(item))</div>
            </article>
            """
    }

    private func saveButton(_ item: Item) -> String {
        "<button class=\"save\" data-id=\"\(item.id)\" data-saved=\"\(item.saved)\">"
            + "\(item.saved ? "Unsave" : "Save")</button>"
    }

    private func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    // MARK: Item

    private func itemPage(_ reference: String) throws -> Response {
        let item = try library.item(reference)
        let lineage = try library.lineage(of: item.id)
        let content = "/api/items/\(item.id)/content"
        var player: String
        switch item.kind {
        case .video: player = "<video id=\"player\" controls preload=\"metadata\" src=\"\(content)\"></video>"
        case .thumbnail, .sprite: player = "<img class=\"still\" alt=\"\" src=\"\(content)\">"
        case .vtt, .other: player = "<p><a href=\"\(content)\">the file</a></p>"
        }
        if item.kind == .video, let sprite = lineage.derived.first(where: { $0.role == "sprite-of" }),
            let vtt = lineage.derived.first(where: { $0.role == "vtt-of" })
        {
            player += """
                <div id="scrub" data-vtt="/api/items/\(vtt.item.id)/content" \
                data-sprite="/api/items/\(sprite.item.id)/content" data-duration="\(item.media?.duration ?? 0)">\
                <div id="scrub-tile"></div><div id="scrub-time"></div></div>
                """
        }
        let body = """
            <h1>\(H.escape(item.name)) <span class="badge \(item.saved ? "saved" : "draft")">\
            \(item.saved ? "saved" : "draft")</span> \(saveButton(item))</h1>
            <section class="player">\(player)</section>
            <section><h2>Lineage</h2>\(LineageGraph.svg(lineage))</section>
            <section><h2>Details</h2>\(details(item))</section>
            """
        return H.response(title: item.name, body: body)
    }

    private func details(_ item: Item) -> String {
        var rows: [(String, String)] = [
            ("id", item.id), ("sha256", item.sha256), ("kind", item.kind.rawValue),
            ("source type", item.sourceType.rawValue), ("size", ByteCount.text(item.size)),
            ("created", H.date(item.createdAt)), ("saved", item.savedAt.map { H.date($0) } ?? "no (draft)"),
        ]
        if let media = item.media {
            let size = media.width.map { "\($0)×\(media.height ?? 0)" }
            rows += [
                ("duration", media.duration.map { String(format: "%.2f s", $0) }), ("size (pixels)", size),
                ("display aspect", media.aspectRatio), ("video codec", media.videoCodec),
                ("frame rate", media.fps.map { String(format: "%.3g fps", $0) }), ("audio codec", media.audioCodec),
                ("audio rate", media.audioRate.map { "\($0) Hz" }), ("channels", media.audioChannels.map(String.init)),
            ].compactMap { label, value in value.map { (label, $0) } }
        }
        if let generation = item.generation {
            rows += [
                ("provider", generation.provider), ("model", generation.model), ("prompt", generation.prompt),
                ("job", generation.jobID), ("source URL", generation.sourceURL),
            ].compactMap { label, value in value.map { (label, $0) } }
        }
        rows += item.remotes.map { ("remote \($0.remote)", "\($0.status.rawValue): \($0.key)") }
        let cells = rows.map { "<tr><th>\(H.escape($0.0))</th><td>\(H.escape($0.1))</td></tr>" }
        return "<table class=\"details\">\(cells.joined())</table>"
    }

    // MARK: Runs

    private func runsPage() throws -> Response {
        let runs = try library.runs()
        let rows = runs.map { run in
            let seconds = run.finishedAt.map { String(format: "%.1f s", $0.timeIntervalSince(run.startedAt)) } ?? ""
            return """
                <tr><td><a href="/runs/\(H.escape(run.runID))">\(H.escape(run.runID))</a></td>\
                <td>\(H.escape(run.pipeline.name))</td><td class="status \(H.escape(run.status))">\
                \(H.escape(run.status))</td><td>\(H.date(run.startedAt))</td><td>\(seconds)</td></tr>
                """
        }
        let table =
            rows.isEmpty
            ? "<p>No runs yet.</p>"
            : "<table><tr><th>run</th><th>pipeline</th><th>status</th><th>started</th><th>took</th></tr>"
                + rows.joined() + "</table>"
        return H.response(title: "Runs", body: "<h1>Runs</h1>\(table)")
    }

    private func runPage(_ reference: String) throws -> Response {
        let text = try library.runManifest(reference)
        let manifest = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        func string(_ value: Any?) -> String {
            switch value {
            case let text as String: text
            case let number as NSNumber: number.stringValue
            case nil, is NSNull: ""
            case let value?:
                (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? ""
            }
        }
        let stages = (manifest["stages"] as? [[String: Any]] ?? []).map { stage in
            let outputs = (stage["outputs"] as? [[String: Any]] ?? []).compactMap { output -> String? in
                guard let id = output["item_id"] as? String ?? output["id"] as? String else { return nil }
                return "<a href=\"/items/\(H.escape(id))\">\(H.escape(id))</a>"
            }
            let seconds = (stage["seconds"] as? Double).map { String(format: "%.2f s", $0) } ?? ""
            let hit = (stage["cache_hit"] as? Bool) == true ? "hit" : "miss"
            return """
                <tr><td>\(H.escape(string(stage["id"])))</td><td>\(H.escape(string(stage["type"])))</td>\
                <td class="status \(H.escape(string(stage["status"])))">\(H.escape(string(stage["status"])))</td>\
                <td>\(seconds)</td><td class="cache \(hit)">\(hit)</td><td>\(outputs.joined(separator: " "))</td>\
                <td class="error">\(H.escape(string(stage["error"])))</td></tr>
                """
        }
        let expects = (manifest["expect"] as? [[String: Any]] ?? []).map { check in
            let passed = (check["passed"] as? Bool) ?? (check["ok"] as? Bool)
            let mark = passed.map { $0 ? "pass" : "fail" } ?? ""
            let rest = check.filter { !["passed", "ok"].contains($0.key) }.sorted { $0.key < $1.key }
                .map { "\(H.escape($0.key)): \(H.escape(string($0.value)))" }.joined(separator: ", ")
            return "<li class=\"expect \(mark)\"><b>\(mark)</b> \(rest)</li>"
        }
        let pipeline = manifest["pipeline"] as? [String: Any] ?? [:]
        let body = """
            <h1>Run \(H.escape(string(manifest["run_id"])))</h1>
            <p>pipeline <b>\(H.escape(string(pipeline["name"])))</b> (\(H.escape(string(pipeline["path"]))))\
            · <span class="status \(H.escape(string(manifest["status"])))">\(H.escape(string(manifest["status"])))\
            </span> · started \(H.escape(string(manifest["started_at"]))) · finished \
            \(H.escape(string(manifest["finished_at"])))</p>
            <h2>Stages</h2><table id="stages"><tr><th>stage</th><th>type</th><th>status</th><th>took</th>\
            <th>cache</th><th>outputs</th><th>error</th></tr>\(stages.joined())</table>
            <h2>Expectations</h2>\(expects.isEmpty ? "<p>None.</p>" : "<ul>\(expects.joined())</ul>")
            <p><a href="/api/runs/\(H.escape(string(manifest["run_id"])))">manifest (JSON)</a></p>
            """
        return H.response(title: "Run", body: body)
    }

    // MARK: Stats

    private func statsPage() throws -> Response {
        let stats = try library.stats()
        let kinds = stats.byKind.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let chart = BarChart.svg(
            id: "by-kind", title: "Storage by kind", bars: kinds.map { ($0.0, $0.1.bytes, "kind") })
        let state = BarChart.svg(
            id: "by-state", title: "Drafts and saved",
            bars: [("saved", stats.saved.bytes, "saved"), ("drafts", stats.drafts.bytes, "draft")])
        func row(_ label: String, _ bucket: LibraryStats.Bucket) -> String {
            "<tr><th>\(H.escape(label))</th><td>\(bucket.count)</td><td>\(H.bytes(bucket.bytes))</td></tr>"
        }
        let rows =
            [row("total", stats.total), row("saved", stats.saved), row("drafts", stats.drafts)]
            + kinds.map { row("kind \($0.0)", $0.1) }
            + stats.bySourceType.sorted { $0.key < $1.key }.map { row("source \($0.key)", $0.value) }
        let remotes = stats.remotes.sorted { $0.key < $1.key }.map { remote, statuses in
            "<li>\(H.escape(remote)): "
                + statuses.sorted { $0.key < $1.key }.map { "\($0.value) \(H.escape($0.key))" }
                .joined(separator: ", ") + "</li>"
        }
        let body = """
            <h1>Stats</h1>
            <div class="charts">\(chart)\(state)</div>
            <table><tr><th></th><th>items</th><th>bytes</th></tr>\(rows.joined())</table>
            \(remotes.isEmpty ? "" : "<h2>Remotes</h2><ul>\(remotes.joined())</ul>")
            """
        return H.response(title: "Stats", body: body)
    }
}
