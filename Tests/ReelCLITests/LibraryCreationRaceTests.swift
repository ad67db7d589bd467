import Foundation
import ReelTestSupport
import Synchronization
import Testing

@Suite("a new library opened by several processes at once")
struct LibraryCreationRaceTests {
    @Test("writers starting together on a missing library all open it (shards of a batch on a new library)")
    func writersStartTogether() throws {
        for _ in 0..<4 {
            let library = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
            let results = Mutex<[ProcessResult]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                if let result = try? ReelBinary.run(["library", "verify", "--repair", "--library", library]) {
                    results.withLock { $0.append(result) }
                }
            }
            let all = results.withLock { $0 }
            #expect(all.count == 4 && all.allSatisfy { $0.status == 0 }, "\(all.map(\.stderr))")
            let tables = try Shell.run("sqlite3", ["-readonly", library + "/catalog.sqlite", ".tables"]).stdout
            #expect(tables.split(whereSeparator: \.isWhitespace).contains("items"))
        }
    }
}
