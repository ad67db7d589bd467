import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import ReelLibrary

/// The pages' frame: escaping, the layout every page shares, and their headers (a content security policy that
/// allows only this server's own scripts, styles and media, so even an unescaped name could not run a script).
enum HTMLPage {
    /// `text` safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static let policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// A whole page around `body` (already HTML).
    static func response(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · reel</title>
            <link rel="stylesheet" href="/assets/reel.css"><script src="/assets/reel.js" defer></script>
            </head><body>
            <header><a class="brand" href="/">reel</a><nav><a href="/">Gallery</a><a href="/runs">Runs</a>\
            <a href="/stats">Stats</a></nav></header>
            <main>
            \(body)
            </main></body></html>

            """
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: policy, .cacheControl: "no-store",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func error(_ failure: APIError) -> Response {
        response(
            title: "Error",
            body: "<h1>\(failure.status.code)</h1><p class=\"error\">\(escape(failure.description))</p>",
            status: failure.status)
    }

    /// `1.5 MiB`.
    static func bytes(_ count: Int64) -> String { escape(ByteCount.text(count)) }

    /// `2026-05-01 12:00`.
    static func date(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// A static asset shipped in the binary.
    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
