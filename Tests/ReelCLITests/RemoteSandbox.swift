import Foundation
import ReelTestSupport

/// A library with the remote `archive` pointing at a fresh bucket of `server`, and files to import.
struct RemoteSandbox {
    let server: S3TestServer
    let folder: URL
    let library: String
    let bucket: String
    var environment: [String: String]

    init(server: S3TestServer) throws {
        self.server = server
        folder = try Fixtures.scratchDirectory()
        library = folder.appendingPathComponent("lib").path
        bucket = "reel-\(UUID().uuidString.lowercased().prefix(12))"
        environment = server.credentialEnvironment
        try server.createBucket(bucket)
        let added = try reel([
            "remote", "add", "archive", "--endpoint", server.endpoint.absoluteString, "--bucket", bucket,
            "--path-style",
        ])
        guard added.status == 0 else {
            throw ToolFailure(tool: "reel", arguments: ["remote", "add"], stderr: added.stderr)
        }
    }

    /// The JSON a `--json` command printed.
    static func json(_ result: ProcessResult) -> Any? { try? JSONSerialization.jsonObject(with: result.stdoutData) }

    @discardableResult
    func reel(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessResult {
        try ReelBinary.run(arguments + ["--library", library], environment: environment.merging(extra) { $1 })
    }

    /// Imports a file of `bytes` random bytes named `name` (in its own folder `subfolder`, so two files may share
    /// a name); returns its item id and path.
    func importRandom(_ name: String, bytes: Int, subfolder: String = "") throws -> (id: String, path: String) {
        let directory = folder.appendingPathComponent("files/\(subfolder)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        let random = FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: bytes) ?? Data()
        try random.write(to: URL(fileURLWithPath: path))
        let result = try reel(["library", "import", path, "--kind", "other", "--json"])
        let items = Self.json(result) as? [[String: Any]] ?? []
        return (items.first?["id"] as? String ?? "", path)
    }

    func remotes(of id: String) throws -> [[String: Any]] {
        (Self.json(try reel(["library", "show", id, "--json"])) as? [String: Any])?["remotes"] as? [[String: Any]] ?? []
    }

    /// Runs `sql` on the catalog with the sqlite3 tool (not through Reel), one output line per row, columns
    /// separated by `|`.
    func sqlite(_ sql: String) throws -> ProcessResult {
        try Shell.run("sqlite3", ["\(library)/catalog.sqlite", sql])
    }

    /// The `remote_copies` rows of `archive` as sqlite3 prints them (every column quoted), by item id.
    func copyRows() throws -> [String: String] {
        let rows = try sqlite(
            "SELECT item_id, quote(key) || '|' || quote(url) || '|' || quote(etag) || '|' || quote(checksum) || '|' "
                + "|| quote(status) || '|' || quote(saved_at) FROM remote_copies WHERE remote = 'archive'")
        return Dictionary(
            rows.stdout.split(separator: "\n").map { line in
                let id = line.prefix { $0 != "|" }
                return (String(id), String(line.dropFirst(id.count + 1)))
            }, uniquingKeysWith: { first, _ in first })
    }

    /// The catalog and config bytes, for checking what was written.
    var storedText: String {
        ["catalog.sqlite", "catalog.sqlite-wal", "config.json"].map { name in
            String(
                decoding: (try? Data(contentsOf: URL(fileURLWithPath: "\(library)/\(name)"))) ?? Data(), as: UTF8.self)
        }.joined()
    }
}
