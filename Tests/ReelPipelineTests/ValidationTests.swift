import Foundation
import ReelAV
import ReelPipeline
import ReelTestSupport
import Testing

/// Parses `json` as a pipeline named `p.json` and returns the problems found (empty when valid).
private func problems(_ json: String, params: [String: String] = [:]) -> [PipelineProblem] {
    do {
        _ = try Pipeline.parse(Data(json.utf8), file: "p.json", params: params)
        return []
    } catch let error as PipelineValidationError {
        return error.problems
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

/// A pipeline around `stages` (a JSON array body).
private func pipeline(_ stages: String, extra: String = "") -> String {
    "{ \"version\": 1, \"name\": \"t\", " + extra + " \"stages\": [ " + stages + " ] }"
}

private let fetchA = #"{ "id": "a", "type": "fetch", "path": "a.mp4" }"#
private let fetchB = #"{ "id": "b", "type": "fetch", "path": "b.mp4" }"#

@Suite("pipeline validation finds every problem before work starts")
struct ValidationTests {
    @Test("a correct pipeline parses into stages with their parameters")
    func valid() throws {
        let json = pipeline(
            fetchA + "," + fetchB + ","
                + #"{ "id": "ep", "type": "stitch", "inputs": ["a", "b"], "video": { "size": "1280x720", "fps": 30 } },"#
                + #"{ "id": "poster", "type": "thumbnail", "input": "ep", "at": "10%", "width": 640 },"#
                + #"{ "id": "keep", "type": "store", "inputs": ["ep", "poster"], "remote": "r2", "key": "c/${campaign}/${id}.${ext}" }"#,
            extra: #""params": { "campaign": "456" },"#)
        let loaded = try Pipeline.parse(Data(json.utf8), file: "p.json", params: ["campaign": "789"])
        #expect(loaded.stages.map(\.id) == ["a", "b", "ep", "poster", "keep"])
        let stitch = try #require(loaded.stage("ep")?.as(StitchStage.self), "ep is a stitch")
        #expect(stitch.inputs == ["a", "b"])
        #expect(stitch.options.width == 1280 && stitch.options.height == 720)
        #expect(stitch.options.frameRate == Rational(30, 1) && stitch.options.mode == .auto)
        let thumbnail = try #require(loaded.stage("poster")?.as(ThumbnailStage.self))
        guard case .still(let still) = thumbnail.shape else {
            Issue.record("poster is not a still")
            return
        }
        #expect(still.at == .percent(10) && still.size.width == 640)
        let store = try #require(loaded.stage("keep")?.as(StoreStage.self))
        #expect(store.key == "c/789/${id}.${ext}", "--param overrides the default; store names stay for later")
    }

    @Test("a misspelt field is unknown, with the closest name suggested")
    func unknownField() {
        let found = problems(pipeline(fetchA + #", { "id": "ep", "type": "stitch", "inptus": ["a"] }"#))
        #expect(
            found.map(\.description).contains(
                #"p.json: stages[1].inptus (stage "ep"): unknown field "inptus" (did you mean "inputs"?)"#))
        #expect(found.map(\.description).contains(#"p.json: stages[1] (stage "ep"): missing required field "inputs""#))
    }

    @Test("a wrong type names the field and what it got")
    func wrongType() {
        let found = problems(pipeline(fetchA + #", { "id": "ep", "type": "stitch", "inputs": "a" }"#))
        #expect(found.map(\.message) == ["must be an array, not a string"])
        #expect(found.first?.path == "stages[1].inputs")
    }

    @Test("missing version, name and stages are each reported")
    func missingTopLevel() {
        let found = problems("{}")
        #expect(
            Set(found.map(\.message)) == [
                #"missing required field "version""#, #"missing required field "name""#,
                #"missing required field "stages""#,
            ])
    }

    @Test("an unknown stage type lists the known ones and suggests the closest")
    func unknownType() {
        let found = problems(pipeline(#"{ "id": "x", "type": "stich", "inputs": [] }"#))
        #expect(
            found.first?.message
                == #"unknown stage type "stich" (one of fetch, probe, stitch, thumbnail, store) (did you mean "stitch"?)"#
        )
    }

    @Test("duplicate ids are refused, naming the first")
    func duplicateIDs() {
        let found = problems(pipeline(fetchA + "," + fetchA))
        #expect(found.map(\.description) == [#"p.json: stages[1].id (stage "a"): duplicate id "a" (also stages[0])"#])
    }

    @Test("a reference to an unknown stage suggests the closest id")
    func unknownReference() {
        let found = problems(pipeline(fetchA + #", { "id": "info", "type": "probe", "input": "aa" }"#))
        #expect(
            found.map(\.description) == [
                #"p.json: stages[1].input (stage "info"): unknown stage "aa" (did you mean "a"?)"#
            ])
    }

    @Test("a cycle is found and spelled out")
    func cycle() {
        let found = problems(
            pipeline(
                #"{ "id": "x", "type": "stitch", "inputs": ["y"] }, { "id": "y", "type": "stitch", "inputs": ["x"] }"#))
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("cycle: ") == true)
        #expect(found.first?.message.contains("x → y") == true || found.first?.message.contains("y → x") == true)
    }

    @Test("stitching a thumbnail is a type mismatch")
    func typeMismatch() {
        let found = problems(
            pipeline(
                fetchA + #", { "id": "poster", "type": "thumbnail", "input": "a" }"#
                    + #", { "id": "ep", "type": "stitch", "inputs": ["a", "poster"] }"#))
        #expect(
            found.map(\.message) == [#"stitch needs video, but stage "poster" (thumbnail) produces image"#])
        #expect(found.first?.path == "stages[2].inputs[1]")
    }

    @Test("an unknown ${param} is reported where it is used")
    func unknownParam() {
        let found = problems(
            pipeline(
                #"{ "id": "a", "type": "fetch", "path": "clips/${campain}.mp4" }"#,
                extra: #""params": { "campaign": "1" },"#))
        #expect(
            found.map(\.description) == [
                #"p.json: stages[0].path: unknown param "${campain}" (did you mean "campaign"?)"#
            ])
    }

    @Test("--param for a param the file does not declare is refused")
    func undeclaredParam() {
        let found = problems(pipeline(fetchA, extra: #""params": { "campaign": "1" },"#), params: ["campain": "2"])
        #expect(
            found.map(\.message) == [
                #"--param campain: the pipeline declares no such param (did you mean "campaign"?)"#
            ])
    }

    @Test("a param declared null must be given with --param")
    func requiredParam() {
        let json = pipeline(
            #"{ "id": "a", "type": "fetch", "path": "${clip}" }"#, extra: #""params": { "clip": null },"#)
        #expect(problems(json).map(\.message) == ["has no default: give it with --param clip=VALUE"])
        #expect(problems(json, params: ["clip": "a.mp4"]).isEmpty)
    }

    @Test("relative paths are relative to the pipeline's folder; a path from --param to the current directory")
    func relativePaths() throws {
        let json = pipeline(
            #"{ "id": "a", "type": "fetch", "path": "clips/a.mp4" }, { "id": "b", "type": "fetch", "path": "${b}" },"#
                + #"{ "id": "c", "type": "fetch", "path": "${c}" }, { "id": "d", "type": "fetch", "path": "/abs/d.mp4" }"#,
            extra: #""params": { "b": "b.mp4", "c": "c.mp4" }, "expect": { "a": { "checksums": "golden/a.csv" } },"#)
        let loaded = try Pipeline.parse(Data(json.utf8), file: "/proj/pipelines/p.json", params: ["c": "take2.mp4"])
        let cwd = FileManager.default.currentDirectoryPath
        func source(_ id: String) -> String? { loaded.stage(id)?.as(FetchStage.self)?.source.description }
        #expect(source("a") == "/proj/pipelines/clips/a.mp4")
        #expect(source("b") == "/proj/pipelines/b.mp4", "a file's own default is the file's")
        #expect(source("c") == "\(cwd)/take2.mp4", "a path typed on the command line is the shell's")
        #expect(source("d") == "/abs/d.mp4")
        #expect(loaded.expectations.first?.checksums == "/proj/pipelines/golden/a.csv")
    }

    @Test("an expectation file's checksums path is relative to the expectation file")
    func expectationFilePaths() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("expect.json")
        try Data(#"{ "frames": 3, "checksums": "golden/ep.csv" }"#.utf8).write(to: file)
        let expectation = try Expectation.load(contentsOf: file.path)
        #expect(expectation.checksums == folder.appendingPathComponent("golden/ep.csv").standardizedFileURL.path)
    }

    @Test("malformed sizes, times and numbers are named")
    func malformedValues() {
        let found = problems(
            pipeline(
                fetchA
                    + #", { "id": "ep", "type": "stitch", "inputs": ["a"], "video": { "size": "1280by720", "fps": -1 } }"#
                    + #", { "id": "p", "type": "thumbnail", "input": "a", "at": "ten", "width": 0 }"#))
        #expect(
            Set(found.map(\.description)) == [
                #"p.json: stages[1].video.size (stage "ep"): "1280by720" is not a size like 1280x720"#,
                #"p.json: stages[1].video.fps (stage "ep"): -1 is not a frame rate (a positive number, or a fraction like 30000/1001)"#,
                #"p.json: stages[2].at (stage "p"): 'ten' is not SECONDS, PERCENT% or best"#,
                #"p.json: stages[2].width (stage "p"): 0 must be from 1 to 8192"#,
            ])
    }

    @Test("an unsupported version is refused")
    func version() {
        #expect(
            problems(#"{ "version": 2, "name": "t", "stages": [ \#(fetchA) ] }"#).map(\.message) == [
                "version 2 is not supported (this reel reads version 1)"
            ])
    }

    @Test("fetch needs exactly one of url and path, and only web or file URLs")
    func fetchSource() {
        #expect(problems(pipeline(#"{ "id": "a", "type": "fetch" }"#)).map(\.message) == [#"needs "url" or "path""#])
        #expect(
            problems(pipeline(#"{ "id": "a", "type": "fetch", "url": "https://x/a.mp4", "path": "a.mp4" }"#))
                .map(\.message) == [#"give "url" or "path", not both"#])
        #expect(
            problems(pipeline(#"{ "id": "a", "type": "fetch", "url": "ftp://x/a.mp4" }"#)).map(\.message) == [
                #""ftp" URLs are not supported: use an http, https or file URL"#
            ])
    }

    @Test("expect blocks name existing video stages and known checks")
    func expectations() {
        let found = problems(
            pipeline(fetchA, extra: #""expect": { "aa": {}, "a": { "duraton": [1, 2], "video": { "size": "x" } } },"#))
        #expect(
            Set(found.map(\.description)) == [
                #"p.json: expect.aa: no stage "aa" to check (did you mean "a"?)"#,
                #"p.json: expect.a.duraton (stage "a"): unknown field "duraton" (did you mean "duration"?)"#,
                #"p.json: expect.a.video.size (stage "a"): "x" is not a size like 1280x720"#,
            ])
    }

    @Test("invalid JSON says so with the parser's reason")
    func invalidJSON() {
        let found = problems(#"{ "version": 1, "#)
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("not valid JSON") == true)
    }

    @Test("all problems are reported at once")
    func allAtOnce() {
        let found = problems(
            pipeline(
                #"{ "id": "a", "type": "fetch", "path": "a.mp4", "colour": 1 }, { "id": "a", "type": "probe", "input": "zzz" }, { "id": "b", "type": "nope" }"#
            ))
        #expect(found.count == 3)
    }
}

@Suite("pipeline graph")
struct GraphTests {
    @Test("stages are ready once what they read has finished, in file order")
    func readiness() throws {
        let json = pipeline(
            fetchA + "," + fetchB
                + #", { "id": "ep", "type": "stitch", "inputs": ["a", "b"] }, { "id": "info", "type": "probe", "input": "a" }"#
        )
        let graph = PipelineGraph(try Pipeline.parse(Data(json.utf8), file: "p.json"))
        var readiness = Readiness(graph)
        #expect(readiness.initial == ["a", "b"])
        #expect(readiness.finish("a") == ["info"])
        #expect(readiness.finish("b") == ["ep"])
        #expect(readiness.finish("ep").isEmpty && readiness.finish("info").isEmpty)
        #expect(graph.downstream(of: "b") == ["ep"])
    }
}

@Suite("example pipelines")
struct ExamplePipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("every pipeline in pipelines/ validates (params the file leaves to --param given a URL)")
    func examplesValidate() throws {
        let folder = Self.root.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && $0 != "schema.json" }
        #expect(files.count >= 3)
        for file in files {
            let path = folder.appendingPathComponent(file).path
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            let declared = (document as? [String: Any])?["params"] as? [String: Any] ?? [:]
            let required = declared.filter { $0.value is NSNull }.keys
            let params = Dictionary(uniqueKeysWithValues: required.map { ($0, "https://cdn.example.test/\($0).mp4") })
            _ = try Pipeline.load(contentsOf: path, params: params)
        }
    }

    @Test("every pipeline in pipelines/ validates against the shipped JSON Schema, and the schema catches a typo")
    func examplesMatchSchema() throws {
        let folder = Self.root.appendingPathComponent("pipelines")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for path in sys.argv[2:]:
                jsonschema.validate(json.load(open(path)), schema)
            bad = json.load(open(sys.argv[2]))
            bad["stages"][0]["pth"] = "typo.mp4"
            try:
                jsonschema.validate(bad, schema)
                sys.exit("schema accepted an unknown field")
            except jsonschema.ValidationError:
                print("ok")
            """
        let examples = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && $0 != "schema.json" }.sorted()
            .map { folder.appendingPathComponent($0).path }
        let result = try Shell.run(
            "python3", ["-c", script, folder.appendingPathComponent("schema.json").path] + examples)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
    }
}
