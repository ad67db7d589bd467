import Foundation
import ReelTestSupport
import Testing

@Suite("reel validate, as a user runs it")
struct ValidateCommandTests {
    @Test("a valid pipeline prints its stages and exits 0")
    func valid() throws {
        let result = try ReelBinary.run(
            ["validate", "pipelines/demo.json"], currentDirectory: Fixtures.packageRoot.path)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("pipelines/demo.json: ok, 10 stages\n"))
        #expect(result.stdout.contains("episode (stitch) ← landscape, bars, phone, anamorphic, ai"))
    }

    @Test("an invalid pipeline prints every problem, one line each (a missing local input too), and exits 2")
    func invalid() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.json").path
        try Data(
            #"""
            { "version": 1, "name": "bad", "stages": [
              { "id": "a", "type": "fetch", "path": "a.mp4" },
              { "id": "ep", "type": "stitch", "inptus": ["a"] },
              { "id": "p", "type": "thumbnail", "input": "ghost" } ] }
            """#.utf8
        ).write(to: URL(fileURLWithPath: file))
        let result = try ReelBinary.run(["validate", file])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(
            Set(lines) == [
                #"reel: \#(file): stages[1].inptus (stage "ep"): unknown field "inptus" (did you mean "inputs"?)"#,
                #"reel: \#(file): stages[1] (stage "ep"): missing required field "inputs""#,
                #"reel: \#(file): stages[2].input (stage "p"): unknown stage "ghost""#,
                #"reel: \#(file): stages[0].path (stage "a"): \#(folder.path)/a.mp4: no such file"#,
            ])
    }

    @Test("a missing pipeline file is a usage error: exit 2")
    func missingFile() throws {
        let result = try ReelBinary.run(["validate", "/nonexistent/pipeline.json"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("reel: /nonexistent/pipeline.json: cannot read the file"))
    }

    @Test("--param must be NAME=VALUE")
    func badParam() throws {
        let result = try ReelBinary.run(
            ["validate", "pipelines/demo.json", "--param", "novalue"], currentDirectory: Fixtures.packageRoot.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("'novalue' is invalid for '--param <name=value>': expected NAME=VALUE"))
    }
}
