import Foundation
import ReelTestSupport
import Testing

@Suite("commands that only read never create a library")
struct LibraryReaderTests {
    static let readers: [[String]] = [
        ["library", "list"], ["library", "show", "abc"], ["library", "lineage", "abc"], ["library", "find", "cat"],
        ["library", "stats"], ["library", "log"], ["library", "verify"],
        ["library", "gc", "--unsaved-older-than", "1d"],
        ["library", "export", "abc", "-o", "/dev/null"], ["library", "delete", "abc"], ["library", "unsave", "abc"],
        ["runs", "list"], ["runs", "show", "abc"], ["remote", "list"], ["remote", "remove", "r2"],
        ["remote", "test", "r2"],
    ]

    @Test(
        "on a path with no library, a reader says `no library at PATH`, exits 2 and creates nothing", arguments: readers
    )
    func missingLibrary(arguments: [String]) throws {
        let library = try Fixtures.scratchDirectory().appendingPathComponent("typo").path
        let result = try ReelBinary.run(arguments + ["--library", library])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasSuffix(": no library at \(library)\n"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: library), "\(arguments) created \(library)")
    }

    @Test(
        "an empty folder stays empty when a reader looks at it", arguments: [["library", "list"], ["runs", "list"]])
    func emptyFolder(arguments: [String]) throws {
        let folder = try Fixtures.scratchDirectory().path
        let result = try ReelBinary.run(arguments + ["--library", folder])
        #expect(result.status == 2 && result.stderr.contains("no library at \(folder)"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("library init and the writers create the library; the readers then work on it")
    func writerCreates() throws {
        let scratch = try LibraryScratch()
        #expect(try scratch.reel(["library", "init"]).stdout == "library at \(scratch.library)\n")
        #expect(try scratch.reel(["library", "list"]).stdout == "no items\npage 1 of 1, 0 items\n")
        try FileManager.default.removeItem(atPath: scratch.library)
        let file = try scratch.file("notes.txt", text: "hello")
        #expect(try scratch.reel(["library", "import", file, "--kind", "other"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: scratch.library + "/catalog.sqlite"))
        let list = try scratch.reel(["library", "list"])
        #expect(list.status == 0 && list.stdout.contains("notes.txt"), "\(list.stderr)")
    }
}
