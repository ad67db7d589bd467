import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Who may do what: with a token set, every request but `/login` carries it (`Authorization: Bearer …` or the
/// login cookie); a request that changes the library (any method but GET and HEAD) is refused with `--read-only`,
/// and refused when a browser says it comes from another site (`Origin` not this server, or `Sec-Fetch-Site`
/// other than `same-origin`).
enum Access {
    static let cookieName = "reel_token"

    /// Compares without stopping at the first difference, so the time taken does not tell how much matched.
    static func same(_ given: String, _ token: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(token.utf8)
        var difference = a.count ^ b.count
        for index in 0..<max(a.count, b.count) {
            difference |= Int((index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0))
        }
        return difference == 0
    }

    /// The token a request carries, from its bearer header or its cookie.
    static func token(of request: Request) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst("bearer ".count))
        }
        return request.cookies[cookieName]?.value
    }

    /// Why a state-changing request is refused as cross-site, or nil when it is not.
    static func crossSiteProblem(_ request: Request) -> String? {
        if let site = request.headers[secFetchSite], site != "same-origin" {
            return "a request from another site (Sec-Fetch-Site: \(site)) cannot change the library"
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard origin == "http://\(host)" else {
                return "a request from another origin (\(origin)) cannot change the library"
            }
        }
        return nil
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}

/// Applies ``Access`` to every request.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let settings: ServeSettings

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let token = settings.token, request.uri.path != "/login" {
            guard let given = Access.token(of: request), Access.same(given, token) else {
                throw APIError(
                    .unauthorized, "a token is needed: send Authorization: Bearer $REEL_SERVE_TOKEN, or open /login")
            }
        }
        if request.method != .get && request.method != .head {
            if settings.readOnly {
                throw APIError(.forbidden, "the server is read-only (--read-only): the library cannot be changed")
            }
            if let problem = Access.crossSiteProblem(request) { throw APIError(.forbidden, problem) }
        }
        return try await next(request, context)
    }
}
