import Foundation
import ReelTestSupport
import Testing

/// A row of `items` as the `sqlite3` tool reads it from `catalog.sqlite`.
struct CatalogRow: Hashable {
    var id: String
    var sha256: String
    var ext: String
    var saved: Bool
}

/// Checks of a library made without Reel's own code: `sqlite3` reads the catalog, `sha256sum` hashes the files,
/// and the layout is the documented one (`objects/ab/<sha256>.<ext>`).
extension LibraryScratch {
    /// Runs one query with the `sqlite3` tool and returns its rows, columns split on `|`.
    func query(_ sql: String) throws -> [[String]] {
        let result = try Shell.run("sqlite3", ["-readonly", library + "/catalog.sqlite", sql])
        try #require(result.status == 0, "sqlite3: \(result.stderr)")
        return result.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
            .map { $0.map(String.init) }
    }

    /// The SHA-256 of the file at `path`, as `sha256sum` computes it.
    func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

    /// Every row of `items`.
    func catalogRows() throws -> [CatalogRow] {
        try query("SELECT id, sha256, ext, saved FROM items").map {
            CatalogRow(id: $0[0], sha256: $0[1], ext: $0[2], saved: $0[3] == "1")
        }
    }

    /// Where the documented layout puts a row's file.
    func objectPath(_ row: CatalogRow) -> String {
        "\(library)/objects/\(row.sha256.prefix(2))/\(row.sha256)\(row.ext.isEmpty ? "" : ".\(row.ext)")"
    }

    /// Every regular file under `objects/`.
    func objectFiles() -> [String] {
        let root = library + "/objects"
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = root + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Rows whose file is missing or does not hash to the row's SHA-256: lost data. Must always be empty.
    func rowsWithoutTheirFile() throws -> [CatalogRow] {
        let rows = try catalogRows()
        let present = rows.filter { FileManager.default.fileExists(atPath: objectPath($0)) }
        var hashes: [String: String] = [:]
        for chunk in stride(from: 0, to: present.count, by: 500) {
            let paths = present[chunk..<min(chunk + 500, present.count)].map(objectPath)
            for line in try Shell.run("sha256sum", paths).stdout.split(separator: "\n") {
                hashes[String(line.dropFirst(66))] = String(line.prefix(64))
            }
        }
        return rows.filter { hashes[objectPath($0)] != $0.sha256 }
    }

    /// What `library verify --json` (without --repair) reports: kind and path of each finding.
    func verifyFindings() throws -> [(kind: String, path: String)] {
        let result = try reel(["library", "verify", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        return (report["findings"] as? [[String: Any]] ?? []).map {
            ($0["kind"] as? String ?? "", $0["path"] as? String ?? "")
        }
    }

    /// Starts `reel` on this library without waiting for it.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = arguments + ["--library", library]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `count` small distinct files, imported as drafts by one `reel library import`; returns their rows.
    func importDrafts(_ count: Int, prefix: String = "draft") throws -> [CatalogRow] {
        let files = try (0..<count).map { try file("\(prefix)-\($0).bin", bytes: 512, text: "\(prefix) \($0)") }
        for chunk in stride(from: 0, to: files.count, by: 500) {
            let result = try reel(["library", "import", "--kind", "other"] + files[chunk..<min(chunk + 500, count)])
            try #require(result.status == 0, "\(result.stderr)")
        }
        return try catalogRows()
    }

    /// A clip and `count` thumbnails of it at different times, made by `reel run`: drafts with lineage.
    func thumbnails(_ count: Int) throws -> (clip: String, thumbnails: [String]) {
        let clip = try Fixtures.tenSeconds()
        let stages = (0..<count).map { index in
            #"{"id": "t\#(index)", "type": "thumbnail", "input": "clip", "at": "\#(index + 1)", "width": 64}"#
        }
        let pipeline = folder.appendingPathComponent("thumbs.json").path
        try Data(
            #"{"version": 1, "name": "thumbs", "stages": [{"id": "clip", "type": "fetch", "path": "\#(clip)"}, "#
                .appending(stages.joined(separator: ", ") + "]}").utf8
        ).write(to: URL(fileURLWithPath: pipeline))
        let run = try reel(["run", pipeline, "--json"])
        try #require(run.status == 0, "\(run.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        var byStage: [String: String] = [:]
        for stage in manifest["stages"] as? [[String: Any]] ?? [] {
            byStage[stage["id"] as? String ?? ""] = (stage["outputs"] as? [[String: Any]])?.first?["item_id"] as? String
        }
        let thumbnails = (0..<count).compactMap { byStage["t\($0)"] }
        try #require(thumbnails.count == count && Set(thumbnails).count == count)
        return (try #require(byStage["clip"]), thumbnails)
    }
}
