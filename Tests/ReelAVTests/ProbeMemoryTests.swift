import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// Resident memory of this process in bytes, from /proc/self/statm.
private func residentBytes() throws -> Int {
    let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
    let pages = Int(statm.split(separator: " ")[1]) ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

@Suite("probe frees what it opens")
struct ProbeMemoryTests {
    @Test("probing 1000 files in one process does not grow resident memory")
    func thousandProbes() throws {
        let clip = try Fixtures.h264AAC()
        for _ in 0..<100 { _ = try MediaInfo.probe(clip) }
        let before = try residentBytes()
        for _ in 0..<1000 { _ = try MediaInfo.probe(clip) }
        let grown = try residentBytes() - before
        // One leaked format context with its stream info is hundreds of KiB; 1000 of them would be hundreds of MiB.
        #expect(grown < 8 << 20, "resident memory grew by \(grown >> 10) KiB over 1000 probes")
    }
}
