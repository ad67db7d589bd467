import ArgumentParser
import Foundation
import ReelServe

/// `reel serve`: the library in a browser, and its JSON API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the library's pages and JSON API over HTTP (docs/serve.md).",
        discussion: """
            Listens on loopback by default. Another address needs REEL_SERVE_TOKEN: every request then carries it \
            (Authorization: Bearer, or the cookie the printed login URL sets). Requests that change the library \
            must come from the server's own pages (same origin) and are refused with --read-only.
            """)

    @OptionGroup var library: LibraryOptions
    @Option(help: "HOST:PORT to listen on (port 0: any free port).") var listen = ServeSettings.defaultListen
    @Flag(help: "Refuse every request that would change the library.") var readOnly = false

    func run() async throws {
        let settings: ServeSettings
        do {
            settings = try ServeSettings(
                listen: listen, token: ProcessInfo.processInfo.environment["REEL_SERVE_TOKEN"], readOnly: readOnly)
        } catch {
            throw ValidationError(error.description)
        }
        let opened = try libraryCommandResult("serve") { try library.openExisting() }
        let root = opened.root
        do {
            try await ReelServer(library: opened, settings: settings).run { ready in
                var lines = "reel serve: \(ready.url) (library \(root)\(settings.readOnly ? ", read-only" : ""))\n"
                if let login = ready.loginURL { lines += "login: \(login)\n" }
                FileHandle.standardOutput.write(Data(lines.utf8))
            }
        } catch {
            throw ReelError.failed("serve: cannot listen on \(listen)", error)
        }
    }
}
