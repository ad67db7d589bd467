import Foundation
import ReelTestSupport
import Testing

/// Peak resident memory (KiB) of `reel probe` over `count` copies of `clip` in one process, measured by
/// /usr/bin/time in a process of its own (the test process runs other tests in parallel, so its own RSS says
/// nothing).
private func peakKiB(probing clip: String, times count: Int) throws -> Int {
    let result = try Shell.run(
        "/usr/bin/time", ["-f", "%M", ReelBinary.path, "probe"] + Array(repeating: clip, count: count))
    #expect(result.status == 0)
    return Int(result.stderr.split(separator: "\n").last ?? "") ?? -1
}

@Suite("probe frees what it opens")
struct ProbeMemoryTests {
    @Test("probing 1000 files in one process takes no more memory than probing 100")
    func thousandProbes() throws {
        let clip = try Fixtures.h264AAC()
        let hundred = try peakKiB(probing: clip, times: 100)
        let thousand = try peakKiB(probing: clip, times: 1000)
        #expect(hundred > 0 && thousand > 0)
        // One leaked format context with its stream info is hundreds of KiB; 900 of them would be hundreds of MiB.
        #expect(thousand - hundred < 8 * 1024, "peak RSS: \(hundred) KiB for 100 probes, \(thousand) KiB for 1000")
    }
}
