import Foundation
import ReelTestSupport
import Testing

/// The torture test: several `reel` processes on one library doing random imports, saves, unsaves, gc, deletes,
/// verifies, repairs, exports and pipeline runs while a killer sends SIGKILL at random moments; then an
/// independent checker (`Tests/torture/check_library.py`, Python's sqlite3 and hashlib, no Reel code) reads the
/// catalog and the objects directly. `Tests/torture/run.sh` runs the same harness for as long as you ask.
@Suite("library torture: concurrent writers, random kill -9, independent checker", .serialized)
struct TortureTests {
    @Test("45 s of 3 writers with random kills: no acknowledged item lost, no row without its file, clean repair")
    func torture() throws {
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/torture/torture.py").path
        let result = try Shell.run(
            "python3", [script, "--reel", ReelBinary.path, "--seconds", "45", "--workers", "3", "--kill-every", "1"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let summaryLine = try #require(lines.last, "the harness printed nothing: \(result.stderr)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any], "\(summaryLine)")
        print("torture: \(summaryLine)")
        #expect(result.status == 0, "\(lines.dropLast().joined(separator: "\n"))\n\(result.stderr)")
        #expect(summary["violations"] as? Int == 0)
        // The run must have exercised what it claims: kills happened, items were acknowledged and checked.
        #expect((summary["kills"] as? Int ?? 0) >= 10)
        #expect((summary["acknowledged_items"] as? Int ?? 0) >= 10)
        let operations = summary["operations"] as? [String: Int] ?? [:]
        for operation in ["import", "save", "gc", "delete", "verify", "export", "run"] {
            #expect((operations[operation] ?? 0) > 0, "no \(operation) ran")
        }
    }
}
