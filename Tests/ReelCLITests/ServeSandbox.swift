import Foundation
import ReelTestSupport
import Testing

/// A library made by the demo pipeline plus an item whose name is a script, built once per test run; each test
/// serves its own copy, so saves in one test are not seen by another.
enum ServeLibrary {
    /// The planted name: it would run a script if a page printed it unescaped.
    static let scriptName = "<script>window.reelPwned=1</script><img src=x onerror=\"window.reelPwned=2\">.mp4"

    private static let built: Result<String, any Error> = Result {
        let root = try Fixtures.scratchDirectory().appendingPathComponent("demo-lib").path
        let run = try ReelBinary.run(
            ["run", Fixtures.packageRoot.appendingPathComponent("pipelines/demo.json").path, "--library", root])
        guard run.status == 0 else { throw Failure("reel run demo: \(run.stderr)") }
        let clip = try Fixtures.videoOnly(size: "96x64", rate: "10")
        let planted = try ReelBinary.run(["library", "import", clip, "--name", scriptName, "--library", root])
        guard planted.status == 0 else { throw Failure("reel library import: \(planted.stderr)") }
        return root
    }

    /// A fresh copy of the demo library.
    static func copy() throws -> String {
        let source = try built.get()
        let destination = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        try Shell.run("cp", ["-a", source, destination])
        return destination
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// `reel serve` running on a free loopback port, stopped when the value is released.
final class ServeProcess {
    let process: ReelProcess
    let url: String
    let library: String
    /// Seconds from launch to the printed URL.
    let startup: Double

    init(library: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.library = library
        let started = Date()
        let process = try ReelProcess(
            ["serve", "--library", library, "--listen", "127.0.0.1:0"] + arguments, environment: environment)
        self.process = process
        var found: String?
        process.wait(upTo: 20) {
            let text = String(decoding: process.stdout, as: UTF8.self)
            guard let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
                return false
            }
            found = String(text[range])
            return true
        }
        startup = Date().timeIntervalSince(started)
        guard let found else { throw ServeLibrary.Failure("reel serve did not start: \(process.stderr)") }
        url = found
    }

    deinit { process.stop(with: SIGTERM) }

    /// What sqlite3 says about the catalog.
    func sql(_ query: String) throws -> String {
        try Shell.run("sqlite3", [(library as NSString).appendingPathComponent("catalog.sqlite"), query]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// One HTTP exchange made with curl (an independent client): status, headers (lowercased names) and body.
struct HTTPExchange {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }

    /// `curl` with `method`, extra `headers` (`Name: value`), the path sent as given (`--path-as-is`).
    static func send(_ url: String, method: String = "GET", headers: [String] = []) throws -> HTTPExchange {
        let folder = try Fixtures.scratchDirectory()
        let head = folder.appendingPathComponent("head").path
        let body = folder.appendingPathComponent("body").path
        var arguments = ["-s", "--path-as-is", "-X", method, "-D", head, "-o", body, "-w", "%{http_code}"]
        if method == "HEAD" { arguments = ["-s", "--path-as-is", "-I", "-D", head, "-o", body, "-w", "%{http_code}"] }
        for header in headers { arguments += ["-H", header] }
        let result = try Shell.run("curl", arguments + [url])
        var fields: [String: String] = [:]
        let lines = (try? String(contentsOfFile: head, encoding: .utf8))?.components(separatedBy: "\r\n") ?? []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPExchange(
            status: Int(result.stdout) ?? 0, headers: fields,
            body: (try? Data(contentsOf: URL(fileURLWithPath: body))) ?? Data())
    }
}

/// The JSON a `reel` command prints with `--json`.
func reelJSON(_ arguments: [String]) throws -> Any? {
    let result = try ReelBinary.run(arguments + ["--json"])
    return try? JSONSerialization.jsonObject(with: result.stdoutData)
}

/// Both as JSON values with sorted keys, so two encodings of the same value compare equal.
func sameJSON(_ a: Any?, _ b: Any?) -> Bool {
    func text(_ value: Any?) -> String? {
        guard let value else { return nil }
        return (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]))
            .map { String(decoding: $0, as: UTF8.self) }
    }
    return text(a) != nil && text(a) == text(b)
}
