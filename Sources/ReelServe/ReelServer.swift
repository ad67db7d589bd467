import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ReelLibrary

/// `reel serve`: the library's JSON API, its media and its pages over HTTP, on Hummingbird.
public struct ReelServer: Sendable {
    public let library: Library
    public let settings: ServeSettings

    public init(library: Library, settings: ServeSettings) {
        self.library = library
        self.settings = settings
    }

    /// Where the server listens, once it does.
    public struct Ready: Sendable {
        /// `http://HOST:PORT`.
        public var url: String
        /// The URL that sets the token cookie in a browser, when a token is set.
        public var loginURL: String?
    }

    /// Serves until the process is interrupted (SIGINT, SIGTERM); `onReady` is called once the port is bound.
    public func run(onReady: @escaping @Sendable (Ready) -> Void) async throws {
        let settings = settings
        var logger = Logger(label: "reel-serve")
        logger.logLevel = .error
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port)),
            onServerRunning: { channel in
                let url = settings.url(port: channel.localAddress?.port ?? settings.port)
                let login = settings.token.map { token in
                    "\(url)/login?token=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }
                onReady(Ready(url: url, loginURL: login))
            },
            logger: logger)
        try await app.runService()
    }

    /// Every route, behind the error and access middleware.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AccessMiddleware(settings: settings))
        let api = API(library: library)
        api.add(to: router)
        Pages(library: library).add(to: router)
        router.get("/login") { request, _ in try login(request) }
        return router
    }

    /// `GET /login?token=…`: sets the token cookie (HttpOnly, SameSite=Strict) and goes to the gallery.
    private func login(_ request: Request) throws -> Response {
        guard let token = settings.token else { return Response(status: .seeOther, headers: [.location: "/"]) }
        guard let given = request.uri.queryParameters.get("token"), Access.same(given, token) else {
            throw APIError(.unauthorized, "the login token is wrong")
        }
        return Response(
            status: .seeOther,
            headers: [
                .location: "/", .setCookie: "\(Access.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict",
            ])
    }
}

/// An error a route answers with: its status and a one-line message (`{"error": "…"}` under /api).
struct APIError: Error, CustomStringConvertible {
    var status: HTTPResponse.Status
    var description: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.description = message
    }

    /// The status and message for a library error.
    init(_ error: LibraryError) {
        let status: HTTPResponse.Status =
            switch error {
            case .noSuchItem: .notFound
            case .ambiguousItem: .conflict
            case .invalidArgument: .badRequest
            case .readOnly: .forbidden
            case .busy: .serviceUnavailable
            case .unreadable, .missingObject, .corruptObject: .gone
            case .conflict, .exists, .hasDependents, .isSaved: .conflict
            case .notALibrary, .noLibrary, .newerSchema, .writeFailed, .damagedCatalog, .catalog: .internalServerError
            }
        self.init(status, error.description)
    }

    /// The status and message for a failed save to a remote.
    init(_ error: RemoteSaveError) {
        switch error {
        case .library(let error): self.init(error)
        case .busy: self.init(.conflict, error.description)
        case .keyTaken, .keyOccupied, .copyReplaced: self.init(.conflict, error.description)
        case .noCredentials, .tls: self.init(.serviceUnavailable, error.description)
        case .uploadFailed, .notConfirmed, .verifyFailed: self.init(.badGateway, error.description)
        }
    }
}

/// Answers every error as `{"error": "…"}` under /api and as a small page elsewhere, with its status.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure: APIError =
                switch error {
                case let error as APIError: error
                case let error as LibraryError: APIError(error)
                case let error as RemoteSaveError: APIError(error)
                case let error as HTTPError:
                    APIError(
                        error.status,
                        error.status == .notFound
                            ? "no such route: \(request.method) \(request.uri.path)"
                            : error.body ?? error.status.reasonPhrase)
                default: APIError(.internalServerError, "\(error)")
                }
            if request.uri.path.hasPrefix("/api/") { return JSONBody.error(failure) }
            return HTMLPage.error(failure)
        }
    }
}

/// JSON responses in the CLI's `--json` shapes.
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try JSONEncoder.sorted.encode(value)
        data.append(0x0A)
        return response(data, status: status)
    }

    /// JSON text already made (a run's manifest).
    static func response(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ failure: APIError) -> Response {
        (try? response(["error": failure.description], status: failure.status))
            ?? Response(status: failure.status)
    }
}
