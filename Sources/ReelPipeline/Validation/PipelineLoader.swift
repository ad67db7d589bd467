import Foundation
import ReelAV
import ReelLibrary

extension Pipeline {
    /// Reads and validates a pipeline file. Every problem is found before any work starts and reported at once.
    /// - Parameters:
    ///   - params: `--param` values; each must name a param the file declares.
    ///   - environment: the machine the pipeline is to run on, when known: local inputs and remotes are checked
    ///     against it too (``problems(in:)``).
    public static func load(
        contentsOf path: String, params: [String: String] = [:], environment: StageEnvironment? = nil
    ) throws -> Pipeline {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PipelineValidationError(problems: [
                PipelineProblem(file: path, path: "", stage: nil, message: "cannot read the file (\(reason(error)))")
            ])
        }
        return try parse(data, file: path, params: params, environment: environment)
    }

    /// Validates a pipeline given as JSON bytes; `file` names it in messages, and its folder is what relative paths
    /// are relative to.
    public static func parse(
        _ data: Data, file: String, params overrides: [String: String] = [:], environment: StageEnvironment? = nil
    ) throws -> Pipeline {
        let problems = ProblemList(file: file)
        let root: [String: JSONValue]
        do {
            guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: data) else {
                throw PipelineValidationError(problems: [
                    PipelineProblem(file: file, path: "", stage: nil, message: "must be a JSON object")
                ])
            }
            root = object
        } catch let error as PipelineValidationError {
            throw error
        } catch {
            throw PipelineValidationError(problems: [
                PipelineProblem(file: file, path: "", stage: nil, message: "not valid JSON (\(reason(error)))")
            ])
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path
        let paths = PathBase(directory: directory, commandLineParams: Set(overrides.keys))
        let pipeline = PipelineReader(root: root, overrides: overrides, problems: problems, paths: paths).read()
        let found = problems.problems + (environment.flatMap { pipeline?.problems(in: $0) } ?? [])
        guard found.isEmpty, let pipeline else { throw PipelineValidationError(problems: found) }
        return pipeline
    }
}

extension Expectation {
    /// Reads a standalone expectation file (the same fields as one entry of a pipeline's `expect` block),
    /// as `reel verify --expect` takes it. Every problem is reported at once.
    public static func load(contentsOf path: String) throws -> Expectation {
        let problems = ProblemList(file: path)
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw PipelineValidationError(problems: [
                PipelineProblem(
                    file: path, path: "", stage: nil, message: "cannot read expectations (\(reason(error)))")
            ])
        }
        guard case .object(let fields) = value else {
            throw PipelineValidationError(problems: [
                PipelineProblem(file: path, path: "", stage: nil, message: "must be a JSON object")
            ])
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let reader = ObjectReader(
            fields: fields, path: "", stage: nil, problems: problems, paths: PathBase(directory: directory)
        ) { text, _ in text }
        let expectation = PipelineReader.readExpectation(reader, stage: "")
        guard problems.problems.isEmpty else { throw PipelineValidationError(problems: problems.problems) }
        return expectation
    }
}

/// The text of a decoding or file error, without Foundation's boilerplate.
private func reason(_ error: any Error) -> String {
    if case DecodingError.dataCorrupted(let context) = error {
        let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
        return underlying ?? context.debugDescription
    }
    return ErrorLine.fileCause(error) ?? ErrorLine.describe(error)
}

/// Walks a parsed pipeline document, building the model and collecting problems.
private struct PipelineReader {
    let root: [String: JSONValue]
    let overrides: [String: String]
    let problems: ProblemList
    let paths: PathBase

    func read() -> Pipeline? {
        let top = ObjectReader(fields: root, path: "", stage: nil, problems: problems, paths: paths) { text, _ in text }
        top.rejectUnknown(allowing: Pipeline.topLevelFields)
        let version = top.integer("version", required: true)
        if let version, version != 1 {
            top.report("version", "version \(version) is not supported (this reel reads version 1)")
        }
        let name = top.string("name", required: true)
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { top.report("name", "must not be empty") }
        let each = top.filePath("each")
        let (params, declared) = readParams(top)
        let expand = { (text: String, path: String) in
            self.expand(text, at: path, params: params, declared: declared)
        }
        let stages = readStages(top, expand: expand)
        checkReferences(stages)
        let expectations = readExpectations(top, stages: stages, expand: expand)
        guard let version, let name else { return nil }
        return Pipeline(
            file: problems.file, version: version, name: name, params: params, each: each, stages: stages,
            expectations: expectations)
    }

    /// The file's params (null means "must be given with --param"), with `--param` overrides applied,
    /// and the names the file declares.
    private func readParams(_ top: ObjectReader) -> (values: [String: String], declared: Set<String>) {
        var declared: [String: String?] = [:]
        if let reader = top.object("params") {
            for (name, value) in reader.fields {
                switch value {
                case .string(let text): declared[name] = .some(text)
                case .number(let number): declared[name] = .some(format(number))
                case .bool(let flag): declared[name] = .some(String(flag))
                case .null: declared[name] = .some(nil)
                default: reader.report(name, "must be a string, number, true/false or null, not \(value.typeName)")
                }
            }
        }
        var params: [String: String] = [:]
        for (name, value) in declared {
            if let value = overrides[name] ?? value {
                params[name] = value
            } else {
                problems.add("params.\(name)", stage: nil, "has no default: give it with --param \(name)=VALUE")
            }
        }
        for name in overrides.keys.sorted() where declared[name] == nil {
            problems.add(
                "params", stage: nil,
                "--param \(name): the pipeline declares no such param\(suggestion(for: name, among: declared.keys))")
        }
        return (params, Set(declared.keys))
    }

    /// Replaces `${name}` with its param; undeclared names are problems. Store key names are kept for later, and a
    /// param named like one is a problem in a key (``KeyTemplate/reservedNameProblem(_:)``).
    private func expand(_ text: String, at path: String, params: [String: String], declared: Set<String>) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                problems.add(path, stage: nil, "unclosed \"${\" in \"\(text)\"")
                return text
            }
            let name = String(rest[start.upperBound..<end])
            let inKey = path.hasSuffix(".key")
            if inKey, declared.contains(name), let problem = KeyTemplate.reservedNameProblem(name) {
                problems.add(path, stage: nil, "param \"\(name)\": \(problem)")
                result += "${\(name)}"
            } else if let value = params[name] {
                result += value
            } else if declared.contains(name) || (inKey && KeyTemplate.builtInNames.contains(name)) {
                result += "${\(name)}"
            } else {
                problems.add(
                    path, stage: nil, "unknown param \"${\(name)}\"\(suggestion(for: name, among: params.keys))")
                result += "${\(name)}"
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The stages that read cleanly.
    private func readStages(_ top: ObjectReader, expand: @escaping (String, String) -> String) -> [Stage] {
        guard let value = top.require("stages") else { return [] }
        guard case .array(let items) = value, !items.isEmpty else {
            top.report("stages", "must be a non-empty array of stages")
            return []
        }
        var stages: [Stage] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "stages[\(index)]"
            guard case .object(let fields) = item else {
                problems.add(path, stage: nil, "must be an object, not \(item.typeName)")
                continue
            }
            var id: String?
            if case .string(let text) = fields["id"] { id = text }
            let reader = ObjectReader(
                fields: fields, path: path, stage: id, problems: problems, paths: paths, expand: expand)
            guard let stage = readStage(reader, position: index) else { continue }
            if let first = seen[stage.id] {
                reader.report("id", "duplicate id \"\(stage.id)\" (also stages[\(first)])")
                continue
            }
            seen[stage.id] = index
            stages.append(stage)
        }
        return stages
    }

    private func readStage(_ reader: ObjectReader, position: Int) -> Stage? {
        let id = reader.string("id", required: true)
        if let id, id.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) == nil {
            reader.report("id", "\"\(id)\" must use letters, digits, '-' and '_' only, starting with a letter or digit")
        }
        guard let typeName = reader.string("type", required: true) else { return nil }
        guard let type = StageType(rawValue: typeName) else {
            let names = StageType.allCases.map(\.rawValue)
            reader.report(
                "type",
                "unknown stage type \"\(typeName)\" (one of \(names.joined(separator: ", ")))"
                    + suggestion(for: typeName, among: names))
            return nil
        }
        reader.rejectUnknown(allowing: ["id", "type"] + type.definition.fields)
        let definition = type.definition.init(reading: reader)
        guard let id, let definition else { return nil }
        return Stage(id: id, position: position, definition: definition)
    }

    /// Unknown ids, stages that read what they cannot use, and cycles.
    private func checkReferences(_ stages: [Stage]) {
        let byID = Dictionary(stages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for stage in stages {
            let index = stage.position
            let field = stage.type.definition.inputField
            for (position, input) in stage.inputs.enumerated() {
                let path = field == "input" ? "stages[\(index)].input" : "stages[\(index)].inputs[\(position)]"
                guard let source = byID[input] else {
                    problems.add(
                        path, stage: stage.id, "unknown stage \"\(input)\"\(suggestion(for: input, among: byID.keys))")
                    continue
                }
                if input == stage.id {
                    problems.add(path, stage: stage.id, "a stage cannot read its own output")
                    continue
                }
                let accepted = stage.type.definition.accepts
                if !accepted.contains(source.type.produces) {
                    problems.add(
                        path, stage: stage.id,
                        "\(stage.type.rawValue) needs \(accepted.map(\.rawValue).joined(separator: " or ")), "
                            + "but stage \"\(input)\" (\(source.type.rawValue)) produces \(source.type.produces.rawValue)"
                    )
                }
            }
        }
        if let cycle = PipelineGraph.findCycle(in: stages) {
            problems.add("stages", stage: cycle[0], "cycle: \(cycle.joined(separator: " → "))")
        }
    }

    private func readExpectations(
        _ top: ObjectReader, stages: [Stage], expand: @escaping (String, String) -> String
    ) -> [Expectation] {
        guard let expect = top.object("expect") else { return [] }
        var expectations: [Expectation] = []
        for id in expect.fields.keys.sorted() {
            guard let reader = expect.object(id) else { continue }
            let scoped = ObjectReader(
                fields: reader.fields, path: reader.path, stage: id, problems: problems, paths: paths, expand: expand)
            guard let stage = stages.first(where: { $0.id == id }) else {
                expect.report(id, "no stage \"\(id)\" to check\(suggestion(for: id, among: stages.map(\.id)))")
                continue
            }
            if ![.video, .image].contains(stage.type.produces) {
                expect.report(
                    id,
                    "checks apply to stages that make a file (fetch, stitch, thumbnail), not a "
                        + "\(stage.type.rawValue) stage")
            }
            expectations.append(Self.readExpectation(scoped, stage: id))
        }
        return expectations
    }

    static func readExpectation(_ reader: ObjectReader, stage: String) -> Expectation {
        reader.rejectUnknown(allowing: ["duration", "video", "audio", "frames", "sha256", "checksums", "similar_to"])
        var expectation = Expectation(stage: stage)
        if let value = reader.fields["duration"] {
            switch value {
            case .array(let bounds):
                if bounds.count == 2, case .number(let low) = bounds[0], case .number(let high) = bounds[1], low <= high
                {
                    expectation.duration = low...high
                } else {
                    reader.report("duration", "must be [min, max] seconds with min <= max")
                }
            default:
                if let exact = reader.number("duration", minimum: 0) { expectation.duration = exact...exact }
            }
        }
        if let video = reader.object("video") {
            video.rejectUnknown(allowing: ["size", "codec", "fps"])
            expectation.videoSize = video.frameSize("size")
            expectation.videoCodec = video.string("codec")
            expectation.fps = video.frameRate("fps")?.value
        }
        switch reader.fields["audio"] {
        case .bool(let present)?: expectation.hasAudio = present
        case .object?:
            if let audio = reader.object("audio") {
                audio.rejectUnknown(allowing: ["rate", "channels"])
                expectation.hasAudio = true
                expectation.audioRate = audio.integer("rate", minimum: 1)
                expectation.audioChannels = audio.integer("channels", minimum: 1)
            }
        case nil: break
        case let value?: reader.report("audio", "must be true, false or {rate, channels}, not \(value.typeName)")
        }
        expectation.frames = reader.integer("frames", minimum: 0)
        if let sha = reader.string("sha256") {
            if sha.range(of: "^[0-9a-f]{64}$", options: .regularExpression) == nil {
                reader.report("sha256", "must be 64 lowercase hex digits")
            }
            expectation.sha256 = sha
        }
        expectation.checksums = reader.filePath("checksums")
        if let similar = reader.object("similar_to") {
            similar.rejectUnknown(allowing: ["reference", "ssim", "psnr", "av_offset_ms", "audio_difference_db"])
            let defaults = SimilarityThresholds.defaults
            let thresholds = SimilarityThresholds(
                ssim: similar.number("ssim") ?? defaults.ssim, psnr: similar.number("psnr") ?? defaults.psnr,
                avOffsetMilliseconds: similar.number("av_offset_ms") ?? defaults.avOffsetMilliseconds,
                audioDifferenceDecibels: similar.number("audio_difference_db") ?? defaults.audioDifferenceDecibels)
            for problem in thresholds.problems {
                let key: String =
                    switch problem.field {
                    case .ssim: "ssim"
                    case .psnr: "psnr"
                    case .avOffset: "av_offset_ms"
                    case .audioDifference: "audio_difference_db"
                    }
                similar.report(key, problem.message)
            }
            if let reference = similar.filePath("reference", required: true) {
                expectation.similarTo = Similarity(reference: reference, thresholds: thresholds)
            }
        }
        return expectation
    }
}
