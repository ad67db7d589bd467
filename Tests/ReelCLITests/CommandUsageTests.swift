import Foundation
import ReelTestSupport
import Testing

/// A library path in a fresh scratch folder that does not exist yet.
private func missingLibrary() throws -> String {
    try Fixtures.scratchDirectory().appendingPathComponent("never-created").path
}

@Suite("bad values on the command line are usage errors: exit 2, one line naming the option, no work done")
struct CommandUsageTests {
    @Test(
        "page numbers, sizes and ages that make no sense exit 2 before the library is touched",
        arguments: [
            (["library", "list", "--page", "0"], "--page 0: must be at least 1"),
            (["library", "list", "--page=-3"], "--page -3: must be at least 1"),
            (["library", "list", "--per-page", "0"], "--per-page 0: must be at least 1"),
            (["library", "find", "cat", "--per-page=-1"], "--per-page -1: must be at least 1"),
            (["library", "find", "cat", "--page", "0"], "--page 0: must be at least 1"),
            (["library", "list", "--since", "yesterday"], "--since yesterday: expected an ISO 8601 date or an age"),
            (["library", "log", "--since", "soon"], "--since soon: expected an ISO 8601 date or an age"),
            (["library", "gc", "--unsaved-older-than", "30x"], "--unsaved-older-than 30x: expected an age"),
            (["library", "gc", "--unsaved-older-than=-5d"], "--unsaved-older-than -5d: expected an age"),
        ])
    func valueChecks(arguments: [String], message: String) throws {
        let library = try missingLibrary()
        let result = try ReelBinary.run(arguments + ["--library", library])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("reel: \(message)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: library), "nothing was created")
    }

    @Test(
        "--param without = names the option and NAME=VALUE in one line, exit 2, for every command that takes it",
        arguments: [
            ["run", "pipelines/demo.json", "--param", "campaign"],
            ["validate", "pipelines/demo.json", "--param", "campaign"],
            ["library", "import", "clip.mp4", "--param", "seed"],
            ["library", "save", "abc", "--remote", "r2", "--param", "campaign"],
            ["fetch", "clip.mp4", "--param", "seed"],
        ])
    func paramWithoutEquals(arguments: [String]) throws {
        let library = try missingLibrary()
        let result = try ReelBinary.run(
            arguments + ["--library", library], currentDirectory: Fixtures.packageRoot.path)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.stderr)")
        #expect(result.stderr.contains("--param"), "\(result.stderr)")
        #expect(result.stderr.contains("NAME=VALUE"), "\(result.stderr)")
        #expect(!result.stderr.contains("Usage:"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: library))
    }

    @Test("probe of a URL says probe takes local files and points at fetch, exit 2")
    func probeURL() throws {
        let result = try ReelBinary.run(["probe", "https://example.com/clip.mp4"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "reel: https://example.com/clip.mp4: probe takes local files; get a URL with reel fetch first\n")
    }

    @Test("fetch of an ftp:// URL says the scheme is not supported and which are, exit 2, nothing created")
    func fetchUnsupportedScheme() throws {
        let library = try missingLibrary()
        let result = try ReelBinary.run(["fetch", "ftp://example.com/clip.mp4", "--library", library])
        #expect(result.status == 2)
        #expect(result.stderr.contains("ftp://example.com/clip.mp4: the ftp scheme is not supported"))
        #expect(result.stderr.contains("http, https, file"), "\(result.stderr)")
        #expect(!result.stderr.contains("No such file"))
        #expect(!FileManager.default.fileExists(atPath: library))
    }
}
