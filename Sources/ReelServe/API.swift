import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import ReelLibrary

/// The JSON API under /api, in the shapes the CLI's `--json` prints.
struct API: Sendable {
    let library: Library

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/items") { request, _ in
            let query = try ItemQuery(request.uri, defaultPerPage: 50)
            return try JSONBody.response(
                try library.items(matching: query.filter, page: query.page, perPage: query.perPage))
        }
        router.get("/api/items/:id") { _, context in try JSONBody.response(try library.item(id(context))) }
        router.get("/api/items/:id/lineage") { _, context in
            try JSONBody.response(try library.lineage(of: id(context)))
        }
        router.get("/api/items/:id/content") { request, context in
            try Media.response(library: library, item: try library.item(id(context)), request: request)
        }
        router.head("/api/items/:id/content") { request, context in
            try Media.response(library: library, item: try library.item(id(context)), request: request)
        }
        router.post("/api/items/:id/save") { _, context in
            try JSONBody.response(try library.setSaved([id(context)], true)[0])
        }
        router.post("/api/items/:id/unsave") { _, context in
            try JSONBody.response(try library.setSaved([id(context)], false)[0])
        }
        router.post("/api/items/:id/remotes/:name") { _, context in
            let name = try context.parameters.require("name")
            do {
                let saver = try RemoteSaver(library: library, remote: name)
                return try JSONBody.response(try await saver.save(id(context), waitForLock: false))
            } catch let error as RemoteSaveError {
                throw APIError(error)
            }
        }
        router.get("/api/stats") { _, _ in try JSONBody.response(try library.stats()) }
        router.get("/api/runs") { _, _ in try JSONBody.response(try library.runs()) }
        router.get("/api/batches") { _, _ in try JSONBody.response(try library.batches()) }
        router.get("/api/runs/:id") { _, context in
            JSONBody.response(Data(try library.runManifest(id(context)).utf8))
        }
        router.get("/api/events") { request, _ in
            let parameters = request.uri.queryParameters
            let since = try parameters.get("since").map { try ItemQuery.date($0, name: "since") }
            return try JSONBody.response(try library.events(since: since, item: parameters.get("item")))
        }
    }

    private func id(_ context: BasicRequestContext) throws -> String {
        try context.parameters.require("id")
    }
}

/// The filters and page a list request asks for: `kind`, `source_type`, `saved` (`true` or `false`), `q` (text),
/// `since` and `until` (ISO 8601 dates or times), `page` (from 1) and `per_page` (1 to 500).
struct ItemQuery {
    var filter = ItemFilter()
    var page = 1
    var perPage: Int

    static let maxPerPage = 500

    /// The query of `uri` (form encoded: `+` is a space).
    init(_ uri: URI, defaultPerPage: Int) throws {
        perPage = defaultPerPage
        for (key, text) in Self.form(uri.query) {
            if text.isEmpty { continue }
            switch key {
            case "kind": filter.kind = try Self.value(text, name: "kind")
            case "source_type": filter.sourceType = try Self.value(text, name: "source_type")
            case "saved":
                guard let saved = Bool(text) else {
                    throw APIError(.badRequest, "saved=\(text): expected true or false")
                }
                filter.saved = saved
            case "q": filter.text = text
            case "since": filter.since = try Self.date(text, name: "since")
            case "until": filter.until = try Self.date(text, name: "until")
            case "page": page = try Self.number(text, name: "page", in: 1...Int.max)
            case "per_page": perPage = try Self.number(text, name: "per_page", in: 1...Self.maxPerPage)
            default: throw APIError(.badRequest, "unknown parameter \(key)")
            }
        }
    }

    /// The pairs of a form-encoded query, decoded.
    static func form(_ query: String?) -> [(key: String, value: String)] {
        (query ?? "").split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }

    private static func value<T: RawRepresentable & CaseIterable>(_ text: String, name: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw APIError(
                .badRequest, "\(name)=\(text): expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private static func number(_ text: String, name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw APIError(
                .badRequest,
                "\(name)=\(text): expected a whole number from \(range.lowerBound)"
                    + (range.upperBound == Int.max ? "" : " to \(range.upperBound)"))
        }
        return number
    }

    /// `2026-05-01` (midnight UTC) or `2026-05-01T12:00:00Z`.
    static func date(_ text: String, name: String) throws -> Date {
        let full = ISO8601DateFormatter()
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard let date = full.date(from: text) ?? day.date(from: text) else {
            throw APIError(.badRequest, "\(name)=\(text): expected a date (2026-05-01) or time (2026-05-01T12:00:00Z)")
        }
        return date
    }
}
