import Foundation
import ReelTestSupport
import Testing

/// The same bytes imported again put a lost or damaged stored copy right; export never hands out a damaged one.
@Suite("library: healing and checked exports")
struct LibraryHealTests {
    @Test("re-importing the same bytes restores a missing stored copy, and says so")
    func restoresMissing() throws {
        let scratch = try LibraryScratch()
        let source = try scratch.file("clip.bin", bytes: 300_000)
        #expect(try scratch.reel(["library", "import", "--kind", "other", source]).status == 0)
        let row = try #require(try scratch.catalogRows().first)
        try FileManager.default.removeItem(atPath: scratch.objectPath(row))
        let again = try scratch.reel(["library", "import", "--kind", "other", source])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            again.stdout
                == "\(source): already in the library as \(row.id), same SHA-256; restored the stored copy (it was missing)\n"
        )
        #expect(try scratch.sha256sum(scratch.objectPath(row)) == row.sha256)
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        #expect(try scratch.reel(["library", "verify"]).stdout == "1 object checked, 0 problems\n")
        #expect(try scratch.reel(["library", "log", "--item", row.id]).stdout.contains("  restore  "))
    }

    @Test("re-importing the same bytes replaces a corrupt stored copy (same size or not) with the good bytes")
    func restoresCorrupt() throws {
        let scratch = try LibraryScratch()
        for (index, damage) in [Data(repeating: 0, count: 300_000), Data("short".utf8)].enumerated() {
            let source = try scratch.file("clip\(index).bin", bytes: 300_000, text: "clip \(index)")
            #expect(try scratch.reel(["library", "import", "--kind", "other", source]).status == 0)
            let sha = try scratch.sha256sum(source)
            let row = try #require(try scratch.catalogRows().first { $0.sha256 == sha })
            try damage.write(to: URL(fileURLWithPath: scratch.objectPath(row)))
            let again = try scratch.reel(["library", "import", "--kind", "other", source])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.hasSuffix("; restored the stored copy (it was corrupt)\n"), "\(again.stdout)")
            #expect(try scratch.sha256sum(scratch.objectPath(row)) == sha)
        }
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        #expect(try scratch.reel(["library", "verify"]).status == 0)
    }

    @Test("an intact stored copy is left alone by a duplicate import")
    func intactUntouched() throws {
        let scratch = try LibraryScratch()
        let source = try scratch.file("clip.bin", bytes: 10_000)
        #expect(try scratch.reel(["library", "import", "--kind", "other", source]).status == 0)
        let row = try #require(try scratch.catalogRows().first)
        let before = try FileManager.default.attributesOfItem(atPath: scratch.objectPath(row))[.systemFileNumber]
        let again = try scratch.reel(["library", "import", "--kind", "other", source])
        #expect(again.stdout == "\(source): already in the library as \(row.id), same SHA-256\n")
        let after = try FileManager.default.attributesOfItem(atPath: scratch.objectPath(row))[.systemFileNumber]
        #expect(before as? Int == after as? Int, "the stored file was not replaced")
    }

    @Test("export refuses a corrupt stored copy, exit 1, and writes nothing at the destination")
    func exportRefusesCorrupt() throws {
        let scratch = try LibraryScratch()
        let source = try scratch.file("clip.bin", bytes: 200_000)
        #expect(try scratch.reel(["library", "import", "--kind", "other", source]).status == 0)
        let row = try #require(try scratch.catalogRows().first)
        let damaged = Data(repeating: 1, count: 200_000)
        try damaged.write(to: URL(fileURLWithPath: scratch.objectPath(row)))
        let damagedSHA = try scratch.sha256sum(scratch.objectPath(row))
        let out = try Fixtures.scratchDirectory()
        let destination = out.appendingPathComponent("exported.bin").path
        let result = try scratch.reel(["library", "export", row.id, "-o", destination])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "reel library export: item \(row.id) (\(scratch.objectPath(row))): stored copy is corrupt (sha256 "
                + "\(damagedSHA)); re-import the original or run reel library verify\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "nothing written, no .part")

        try FileManager.default.removeItem(atPath: scratch.objectPath(row))
        let missing = try scratch.reel(["library", "export", row.id, "-o", destination])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("stored copy is missing; re-import the original or run reel library verify"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }
}

/// Names reach terminals: control characters never make it into the catalog.
@Suite("library: names are printable")
struct LibraryNameTests {
    @Test("a name with ESC sequences, C1 controls and DEL is stored and listed without any control character")
    func controlCharacters() throws {
        let scratch = try LibraryScratch()
        let source = try scratch.file("clip.bin", bytes: 100)
        let hostile = "\u{1B}]0;owned\u{07}\u{1B}[31mred\u{1B}[0m\u{9B}2J\u{7F}\tname\r\n.mp4"
        #expect(try scratch.reel(["library", "import", "--kind", "other", "--name", hostile, source]).status == 0)
        let list = try scratch.reel(["library", "list"])
        let controls = list.stdout.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
        }
        #expect(controls.isEmpty, "control characters in the listing: \(controls.map { $0.value })")
        #expect(list.stdout.split(separator: "\n").count == 3, "header, one item, the page line")
        let items = try #require(try scratch.json(["library", "list"]) as? [String: Any])["items"] as? [[String: Any]]
        #expect(items?.first?["name"] as? String == "]0;owned[31mred[0m2Jname.mp4")
        #expect(try scratch.query("SELECT name FROM items") == [["]0;owned[31mred[0m2Jname.mp4"]])
    }
}
