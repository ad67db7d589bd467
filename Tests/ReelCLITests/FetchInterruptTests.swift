import Foundation
import ReelTestSupport
import Testing

@Suite("reel fetch -o, interrupted")
struct FetchInterruptTests {
    @Test(
        "SIGINT or SIGTERM mid-download stops it: the process ends by that signal, no file, no hidden .part file",
        arguments: [SIGINT, SIGTERM])
    func interrupted(_ signal: Int32) async throws {
        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        let data = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC(seconds: 6, size: "640x360")))
        // Twenty seconds of trickling: the signal comes while the body is still arriving.
        server.route("/slow.mp4", HTTPTestReply.file(data).trickling(data.count / 200 + 1, every: .milliseconds(100)))
        let folder = try Fixtures.scratchDirectory().path
        let reel = try ReelProcess(["fetch", server.url("/slow.mp4"), "-o", folder + "/clip.mp4"])
        try #require(reel.wait(upTo: 30) { hasHiddenFile(in: folder) }, "the body goes to a hidden file first")
        usleep(300_000)
        try expectStopped(reel, by: signal, leavingEmpty: folder)
    }
}
