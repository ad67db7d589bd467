import Foundation
import ReelAV
import ReelTestSupport
import Testing

/// A value a rule refuses, written both ways a user can write it: as a stage field in a pipeline file and as a flag
/// of the matching command. Both must be refused before any work (exit 2), naming the field.
struct RefusedValue: Sendable, CustomTestStringConvertible {
    /// The stage, with id `s`, reading the fetched clip `clip`.
    var stage: String
    /// The JSON path the problem must name, below `stages[1]`.
    var field: String
    /// The same value on the command line (`{clip}` is the clip, `{out}` a scratch output name); nil when the
    /// command has no such flag.
    var command: [String]?
    /// Text the command's message must contain (the flag's name).
    var flag: String
    /// Whether `pipelines/schema.json` can express the rule (some, like even sizes within a pixel limit, it cannot).
    var schemaRefuses: Bool

    var testDescription: String { "\(field): \(stage)" }

    static func stitch(
        _ fields: String, _ field: String, _ flags: [String], schema: Bool = true
    ) -> RefusedValue {
        RefusedValue(
            stage: #"{ "id": "s", "type": "stitch", "inputs": ["clip"], "mode": "reencode", \#(fields) }"#,
            field: field, command: ["stitch", "{clip}", "-o", "{out}.mp4"] + flags,
            flag: flags[0].split(separator: "=")[0].description, schemaRefuses: schema)
    }

    /// A fetch stage of its own (`fields` give the source unless `path` is the clip), and `reel fetch` into a
    /// scratch library.
    static func fetch(_ fields: String, _ field: String, _ flags: [String], source: String = "{clip}") -> RefusedValue {
        RefusedValue(
            stage: #"{ "id": "s", "type": "fetch", \#(fields) }"#, field: field,
            command: ["fetch", source, "--library", "{out}-lib"] + flags,
            flag: flags.first?.split(separator: "=")[0].description ?? source, schemaRefuses: true)
    }

    static func thumbnail(
        _ fields: String, _ field: String, _ flags: [String], flag: String? = nil, schema: Bool = true
    ) -> RefusedValue {
        RefusedValue(
            stage: #"{ "id": "s", "type": "thumbnail", "input": "clip", \#(fields) }"#, field: field,
            command: ["thumbnail", "{clip}", "-o", "{out}.jpg"] + flags,
            flag: flag ?? flags.last { $0.hasPrefix("--") }!.split(separator: "=")[0].description,
            schemaRefuses: schema)
    }
}

let refusedValues: [RefusedValue] = [
    .fetch(#""path": "{clip}", "max_size": 0"#, "max_size", ["--max-size", "0"]),
    .fetch(#""path": "{clip}", "max_size": "12XB""#, "max_size", ["--max-size", "12XB"]),
    .fetch(#""path": "{clip}", "timeout": 0"#, "timeout", ["--timeout", "0"]),
    .fetch(#""path": "{clip}", "timeout": "soon""#, "timeout", ["--timeout", "soon"]),
    .fetch(#""path": "{clip}", "source_type": "stitched""#, "source_type", ["--source-type", "stitched"]),
    .fetch(#""url": "ftp://example.test/a.mp4""#, "url", [], source: "ftp://example.test/a.mp4"),
    .stitch(#""video": { "size": "641x361" }"#, "video.size", ["--size", "641x361"]),
    .stitch(#""video": { "size": "1280by720" }"#, "video.size", ["--size", "1280by720"]),
    .stitch(#""video": { "size": "16386x16386" }"#, "video.size", ["--size", "16386x16386"], schema: false),
    .stitch(#""video": { "size": "8192x8192" }"#, "video.size", ["--size", "8192x8192"], schema: false),
    .stitch(#""video": { "fps": 0.0001 }"#, "video.fps", ["--fps", "0.0001"]),
    .stitch(#""video": { "fps": 1e9 }"#, "video.fps", ["--fps", "1000000000"]),
    .stitch(#""video": { "fps": "30000/0" }"#, "video.fps", ["--fps", "30000/0"], schema: false),
    .stitch(#""video": { "crf": 99 }"#, "video.crf", ["--crf", "99"]),
    .stitch(#""video": { "crf": -1 }"#, "video.crf", ["--crf=-1"]),
    .stitch(#""video": { "preset": "superduper" }"#, "video.preset", ["--preset", "superduper"]),
    .stitch(#""video": { "codec": "vp9" }"#, "video.codec", ["--codec", "vp9"], schema: false),
    .stitch(
        #""format": "webm", "video": { "codec": "h264" }"#, "video.codec", ["--codec", "h264", "-o", "{out}.webm"],
        schema: false),
    .stitch(#""format": "webm", "video": { "crf": 64 }"#, "video.crf", ["--crf", "64", "-o", "{out}.webm"]),
    .stitch(
        #""format": "webm", "audio": { "rate": 44100 }"#, "audio.rate", ["--audio-rate", "44100", "-o", "{out}.webm"],
        schema: false),
    .stitch(#""format": "avi""#, "format", ["-o", "{out}.avi"]),
    .stitch(#""video": { "max_pixels": 0 }"#, "video.max_pixels", ["--max-pixels", "0"]),
    .stitch(#""audio": { "rate": 2e9 }"#, "audio.rate", ["--audio-rate", "2000000000"]),
    .stitch(#""audio": { "rate": 7 }"#, "audio.rate", ["--audio-rate", "7"]),
    .stitch(#""audio": { "rate": 44101 }"#, "audio.rate", ["--audio-rate", "44101"]),
    .stitch(#""audio": { "channels": 0 }"#, "audio.channels", ["--audio-channels", "0"]),
    .stitch(#""audio": { "channels": 9 }"#, "audio.channels", ["--audio-channels", "9"]),
    .thumbnail(#""width": 0"#, "width", ["--width", "0"]),
    .thumbnail(#""width": 9000"#, "width", ["--width", "9000"]),
    .thumbnail(#""height": 0"#, "height", ["--height", "0"]),
    .thumbnail(#""width": 8000, "height": 8000"#, "width", ["--height", "8000", "--width", "8000"], schema: false),
    .thumbnail(#""quality": 0"#, "quality", ["--quality", "0"]),
    .thumbnail(#""quality": 32"#, "quality", ["--quality", "32"]),
    .thumbnail(#""at": "150%""#, "at", ["--at", "150%"]),
    .thumbnail(#""at": -1"#, "at", ["--at=-1"]),
    .thumbnail(#""max_pixels": "0x0""#, "max_pixels", ["--max-pixels", "0x0"]),
    .thumbnail(#""format": "gif""#, "format", [], flag: ".jpg"),
    .thumbnail(#""sprite": { "every": 0 }"#, "sprite.every", ["--sprite", "--every", "0"]),
    .thumbnail(#""sprite": { "columns": 0 }"#, "sprite.columns", ["--sprite", "--columns", "0"]),
    .thumbnail(#""sprite": { "rows": 0 }"#, "sprite.rows", ["--sprite", "--rows", "0"]),
    .thumbnail(#""sprite": { "columns": 100 }"#, "sprite.columns", ["--sprite", "--columns", "100"], schema: false),
    .thumbnail(#""sprite": { "width": 0 }"#, "sprite.width", ["--sprite", "--width", "0"]),
]

/// The gif row's command writes a .gif, which only the command has a flag for; its pipeline face is `format`.
private func command(for value: RefusedValue, clip: String, out: String) -> [String]? {
    guard var arguments = value.command else { return nil }
    if value.field == "format" { arguments[3] = "\(out).gif" }
    return arguments.map {
        $0.replacingOccurrences(of: "{clip}", with: clip).replacingOccurrences(of: "{out}", with: out)
    }
}

@Suite("one set of rules: the pipeline and the command refuse the same values, before any work")
struct StageRulesTests {
    static let clip = Fixtures.samplesDirectory.appendingPathComponent("landscape-640x360-30fps.mp4").path

    /// A pipeline fetching the landscape sample as `clip`, then `stage`.
    static func pipeline(_ stage: String) -> String {
        #"{ "version": 1, "name": "rules", "stages": [ { "id": "clip", "type": "fetch", "path": "\#(clip)" }, "#
            + stage.replacingOccurrences(of: "{clip}", with: clip) + " ] }"
    }

    @Test(
        "a refused value is exit 2 naming the stage and field in a pipeline, and exit 2 naming the flag on the CLI",
        arguments: refusedValues)
    func bothFaces(_ value: RefusedValue) throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("p.json").path
        try Data(Self.pipeline(value.stage).utf8).write(to: URL(fileURLWithPath: file))
        let library = folder.appendingPathComponent("lib").path
        for verb in ["validate", "run"] {
            let result = try ReelBinary.run([verb, file, "--library", library])
            #expect(result.status == 2, "\(verb): \(result.stderr)")
            #expect(result.stderr.contains(#"\#(file): stages[1].\#(value.field) (stage "s"): "#), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("reel: ") }, "one line each")
        }
        #expect(!FileManager.default.fileExists(atPath: library), "a refused run creates no library")
        let out = folder.appendingPathComponent("out").path
        guard let arguments = command(for: value, clip: Self.clip, out: out) else { return }
        let result = try ReelBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(value.flag), "\(result.stderr)")
        #expect(!result.stderr.contains("\n") || result.stderr.split(separator: "\n").count <= 2, "\(result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("out") }
        #expect(left.isEmpty, "nothing written: \(left)")
    }

    @Test("-o with a container a stitch does not write is exit 2 before any input is read")
    func stitchOutputFormat() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["z.avi", "z"] {
            let out = folder.appendingPathComponent(name).path
            let result = try ReelBinary.run(["stitch", Self.clip, "-o", out])
            #expect(result.status == 2)
            #expect(result.stderr.contains("a stitch is written as .mp4, .mov, .mkv or .webm"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test("pipelines/schema.json refuses the values the rules refuse wherever a schema can say so")
    func schemaRefuses() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for (index, value) in refusedValues.enumerated() where value.schemaRefuses {
            let file = folder.appendingPathComponent("\(index).json").path
            try Data(Self.pipeline(value.stage).utf8).write(to: URL(fileURLWithPath: file))
            files.append(file)
        }
        let accepted = folder.appendingPathComponent("accepted.json").path
        try Data(Self.pipeline(#"{ "id": "s", "type": "stitch", "inputs": ["clip"] }"#).utf8)
            .write(to: URL(fileURLWithPath: accepted))
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.validate(json.load(open(sys.argv[2])), schema)
            for path in sys.argv[3:]:
                try:
                    jsonschema.validate(json.load(open(path)), schema)
                    print("accepted", open(path).read())
                except jsonschema.ValidationError:
                    pass
            """
        let schema = Fixtures.packageRoot.appendingPathComponent("pipelines/schema.json").path
        let result = try Shell.run("python3", ["-c", script, schema, accepted] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "the schema accepts values the rules refuse:\n\(result.stdout)")
    }
}
