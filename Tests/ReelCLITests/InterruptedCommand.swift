import Foundation
import ReelTestSupport
import Testing

/// What a command stopped by SIGINT or SIGTERM mid-work must show: it said so on stderr, ended by that very signal
/// (as a shell expects of a command it interrupted), and left nothing in `folder`: no output, no temporary file.
func expectStopped(_ reel: ReelProcess, by signal: Int32, leavingEmpty folder: String) throws {
    reel.stop(with: signal)
    #expect(reel.process.terminationReason == .uncaughtSignal)
    #expect(reel.process.terminationStatus == signal)
    #expect(reel.stderr.contains("reel: \(signal == SIGINT ? "interrupted" : "terminated"), stopping…\n"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
}
