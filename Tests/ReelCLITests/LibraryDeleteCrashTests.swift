import Foundation
import ReelTestSupport
import Testing

/// Kills real `reel` processes while they delete (gc, delete, verify --repair) and checks the library with an
/// independent reader: a row whose file is gone is lost data and must never happen; a file whose row is gone is
/// an orphan, which `verify` reports and `--repair` clears.
@Suite("library: crashes while deleting", .serialized)
struct LibraryDeleteCrashTests {
    enum Point: String, CaseIterable, CustomTestStringConvertible {
        /// The rows are committed; no file is unlinked yet.
        case afterDeleteCommit = "after-delete-commit"
        /// Some files are unlinked, others not.
        case midUnlink = "mid-unlink"
        var testDescription: String { rawValue }
    }

    @Test(
        "gc --apply killed after its commit or midway through unlinking: no row without its file; orphans repaired",
        arguments: Point.allCases)
    func gcKilled(_ point: Point) throws {
        let scratch = try LibraryScratch()
        let drafts = try scratch.importDrafts(40)
        let kept = try scratch.file("kept.bin", bytes: 4096)
        #expect(try scratch.reel(["library", "import", "--kind", "other", "--save", kept]).status == 0)
        let killed = try scratch.reel(
            ["library", "gc", "--unsaved-older-than", "0s", "--apply"], environment: ["REEL_FAULT": point.rawValue])
        #expect(killed.status == 9, "gc should have been killed at \(point.rawValue): \(killed.stderr)")
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        #expect(try scratch.catalogRows().map(\.saved) == [true], "the drafts' rows are gone, the saved item stays")
        let findings = try scratch.verifyFindings()
        #expect(!findings.isEmpty && findings.allSatisfy { $0.kind == "orphan-object" }, "\(findings)")
        #expect(Set(findings.map(\.path)).isSubset(of: Set(drafts.map(scratch.objectPath))))
        #expect(try scratch.reel(["library", "verify", "--repair"]).status == 0)
        #expect(try scratch.reel(["library", "verify"]).stdout == "1 object checked, 0 problems\n")
        #expect(scratch.objectFiles().count == 1)
    }

    @Test("delete killed after its commit: the row is gone, the file is an orphan that verify reports and repairs")
    func deleteKilled() throws {
        let scratch = try LibraryScratch()
        let rows = try scratch.importDrafts(2)
        let victim = rows[0]
        let killed = try scratch.reel(
            ["library", "delete", victim.id], environment: ["REEL_FAULT": Point.afterDeleteCommit.rawValue])
        #expect(killed.status == 9, "\(killed.stderr)")
        #expect(try scratch.catalogRows() == [rows[1]])
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        let findings = try scratch.verifyFindings()
        #expect(findings.map(\.kind) == ["orphan-object"] && findings.map(\.path) == [scratch.objectPath(victim)])
        #expect(try scratch.reel(["library", "verify", "--repair"]).status == 0)
        #expect(try scratch.reel(["library", "verify"]).stdout == "1 object checked, 0 problems\n")
    }

    @Test("verify --repair killed midway through removing orphans: rows intact, the rest repaired next time")
    func repairKilled() throws {
        let scratch = try LibraryScratch()
        _ = try scratch.importDrafts(10)
        let survivors = try scratch.catalogRows()
        let orphans = try (0..<6).map { index -> String in
            let folder = "\(scratch.library)/objects/0\(index)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = "\(folder)/0\(index)\(String(repeating: "e", count: 62)).bin"
            try Data("orphan \(index)".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let killed = try scratch.reel(
            ["library", "verify", "--repair"], environment: ["REEL_FAULT": Point.midUnlink.rawValue])
        #expect(killed.status == 9, "\(killed.stderr)")
        #expect(try scratch.catalogRows() == survivors)
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        let left = try scratch.verifyFindings()
        #expect(left.count < orphans.count && left.allSatisfy { $0.kind == "orphan-object" }, "\(left)")
        #expect(try scratch.reel(["library", "verify", "--repair"]).status == 0)
        #expect(try scratch.reel(["library", "verify"]).stdout == "10 objects checked, 0 problems\n")
    }

    @Test("gc --apply of many drafts killed once files start disappearing: no row is left without its file")
    func gcKilledWhileFilesGo() throws {
        let scratch = try LibraryScratch()
        let drafts = try scratch.importDrafts(1500)
        let gc = try scratch.start(["library", "gc", "--unsaved-older-than", "0s", "--apply"])
        // Wait for the first file to go (the moment the old code started unlinking inside its transaction).
        while gc.isRunning && scratch.objectFiles().count == drafts.count { usleep(1000) }
        kill(gc.processIdentifier, SIGKILL)
        gc.waitUntilExit()
        let lost = try scratch.rowsWithoutTheirFile()
        #expect(lost.isEmpty, "\(lost.count) rows lost their file")
        #expect(try scratch.reel(["library", "verify", "--repair"]).status == 0)
        #expect(try scratch.reel(["library", "verify"]).status == 0)
    }
}
