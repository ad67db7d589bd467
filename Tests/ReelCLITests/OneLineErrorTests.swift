import Foundation
import ReelTestSupport
import Testing

/// What a user reads when the file system or the catalog fails: one line naming the file and the cause, never
/// Foundation's or SQLite's own dump.
@Suite("one-line errors")
struct OneLineErrorTests {
    /// The failure as the user sees it: exit 1, one line on stderr, none of the raw domains' text.
    private func expectOneLine(_ result: ProcessResult, naming path: String, _ cause: String) {
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(path), "stderr: \(result.stderr)")
        #expect(result.stderr.contains(cause), "stderr: \(result.stderr)")
        for raw in ["NSCocoaErrorDomain", "SQLite error", "Code=", "while executing"] {
            #expect(!result.stderr.contains(raw), "stderr: \(result.stderr)")
        }
    }

    @Test("importing a file that does not exist names it and says so", arguments: ["video", "other"])
    func missingFile(kind: String) throws {
        let scratch = try LibraryScratch()
        let missing = scratch.folder.appendingPathComponent("nope.mp4").path
        let result = try scratch.reel(["library", "import", missing] + (kind == "other" ? ["--kind", "other"] : []))
        expectOneLine(result, naming: missing, "o such file")
    }

    @Test("a catalog file that cannot be written: the import names it read-only, in one line")
    func readOnlyCatalog() throws {
        let scratch = try LibraryScratch()
        #expect(try scratch.reel(["library", "import", "--kind", "other", try scratch.file("a.bin")]).status == 0)
        let file = try scratch.file("b.bin")
        let catalog = scratch.library + "/catalog.sqlite"
        // The folder stays writable for anyone; only the catalog file (and its WAL companions) are read-only.
        try Shell.run("chmod", ["-R", "a+rwX", scratch.folder.path])
        _ = try Shell.run("sqlite3", [catalog, "PRAGMA wal_checkpoint(TRUNCATE);"])
        for name in ["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm"] {
            _ = try? Shell.run("chmod", ["a-w", scratch.library + "/" + name])
        }
        let result = try ReelBinary.runUnprivileged([
            "library", "import", "--kind", "other", file, "--library", scratch.library,
        ])
        expectOneLine(result, naming: catalog, "read-only")
        #expect(try scratch.catalogRows().count == 1)
    }

    @Test("a catalog file full of garbage: the library is named damaged, in one line")
    func corruptCatalog() throws {
        let scratch = try LibraryScratch()
        #expect(try scratch.reel(["library", "import", "--kind", "other", try scratch.file("a.bin")]).status == 0)
        let catalog = scratch.library + "/catalog.sqlite"
        for name in ["catalog.sqlite-wal", "catalog.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: scratch.library + "/" + name)
        }
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: catalog))
        #expect(try Shell.run("sqlite3", [catalog, "SELECT count(*) FROM items"]).status != 0)
        for arguments in [["library", "list"], ["library", "import", "--kind", "other", try scratch.file("b.bin")]] {
            expectOneLine(try scratch.reel(arguments), naming: catalog, "damaged")
        }
    }
}
