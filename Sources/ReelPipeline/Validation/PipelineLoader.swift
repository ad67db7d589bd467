import Foundation
import ReelAV
import ReelLibrary

extension Pipeline {
    /// Reads and validates a pipeline file. Every problem is found before any work starts and reported at once.
    /// - Parameter params: `--param` values; each must name a param the file declares.
    public static func load(contentsOf path: String, params: [String: String] = [:]) throws -> Pipeline {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PipelineValidationError(problems: [
                PipelineProblem(file: path, path: "", stage: nil, message: "cannot read the file (\(reason(error)))")
            ])
        }
        return try parse(data, file: path, params: params)
    }

    /// Validates a pipeline given as JSON bytes; `file` names it in messages.
    public static func parse(_ data: Data, file: String, params overrides: [String: String] = [:]) throws -> Pipeline {
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
        let pipeline = PipelineReader(root: root, overrides: overrides, problems: problems).read()
        guard problems.problems.isEmpty, let pipeline else {
            throw PipelineValidationError(problems: problems.problems)
        }
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
        let reader = ObjectReader(fields: fields, path: "", stage: nil, problems: problems) { text, _ in text }
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

    static let topLevelFields = ["version", "name", "description", "params", "stages", "expect"]
    static let stageFields: [StageType: [String]] = [
        .fetch: ["url", "path", "source_type", "name", "generation", "max_size", "timeout"],
        .probe: ["input"],
        .stitch: ["inputs", "mode", "video", "audio"],
        .thumbnail: ["input", "at", "width", "height", "quality", "format", "sprite", "max_pixels"],
        .store: ["inputs", "remote", "key"],
    ]

    func read() -> Pipeline? {
        let top = ObjectReader(fields: root, path: "", stage: nil, problems: problems) { text, _ in text }
        top.rejectUnknown(allowing: Self.topLevelFields)
        let version = top.integer("version", required: true)
        if let version, version != 1 {
            top.report("version", "version \(version) is not supported (this reel reads version 1)")
        }
        let name = top.string("name", required: true)
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { top.report("name", "must not be empty") }
        let (params, declared) = readParams(top)
        let expand = { (text: String, path: String) in
            self.expand(text, at: path, params: params, declared: declared)
        }
        let (stages, positions) = readStages(top, expand: expand)
        checkReferences(stages, positions: positions)
        let expectations = readExpectations(top, stages: stages, expand: expand)
        guard let version, let name else { return nil }
        return Pipeline(version: version, name: name, params: params, stages: stages, expectations: expectations)
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

    /// The stages that read cleanly, and each one's index in the file's `stages` array.
    private func readStages(
        _ top: ObjectReader, expand: @escaping (String, String) -> String
    ) -> (stages: [Stage], positions: [String: Int]) {
        guard let value = top.require("stages") else { return ([], [:]) }
        guard case .array(let items) = value, !items.isEmpty else {
            top.report("stages", "must be a non-empty array of stages")
            return ([], [:])
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
            let reader = ObjectReader(fields: fields, path: path, stage: id, problems: problems, expand: expand)
            guard let stage = readStage(reader) else { continue }
            if let first = seen[stage.id] {
                reader.report("id", "duplicate id \"\(stage.id)\" (also stages[\(first)])")
                continue
            }
            seen[stage.id] = index
            stages.append(stage)
        }
        return (stages, seen)
    }

    private func readStage(_ reader: ObjectReader) -> Stage? {
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
        reader.rejectUnknown(allowing: ["id", "type"] + (Self.stageFields[type] ?? []))
        let action: StageAction?
        switch type {
        case .fetch: action = readFetch(reader).map(StageAction.fetch)
        case .probe: action = reader.string("input", required: true).map { StageAction.probe(input: $0) }
        case .stitch: action = readStitch(reader)
        case .thumbnail: action = readThumbnail(reader)
        case .store: action = readStore(reader)
        }
        guard let id, let action else { return nil }
        return Stage(id: id, action: action)
    }

    private func readFetch(_ reader: ObjectReader) -> FetchParameters? {
        let url = reader.string("url")
        let path = reader.string("path")
        let source: FetchParameters.Source?
        switch (url, path) {
        case (let url?, nil):
            let scheme = URL(string: url)?.scheme?.lowercased()
            if !["http", "https", "file"].contains(scheme ?? "") {
                reader.report("url", "must be an http, https or file URL")
            }
            source = .url(url)
        case (nil, let path?): source = .path(path)
        case (nil, nil):
            if !reader.has("url") && !reader.has("path") { reader.report(nil, "needs \"url\" or \"path\"") }
            source = nil
        case (.some, .some):
            reader.report(nil, "give \"url\" or \"path\", not both")
            source = nil
        }
        let sourceType = reader.choice("source_type", FetchParameters.SourceType.self)
        let generation = reader.object("generation").map(readGeneration)
        let maxSize = readByteSize(reader, "max_size")
        let timeout = readTimeLimit(reader, "timeout")
        guard let source else { return nil }
        return FetchParameters(
            source: source, sourceType: sourceType ?? (generation == nil ? .uploaded : .generated),
            name: reader.string("name"), generation: generation, maxSize: maxSize, timeout: timeout)
    }

    private func readGeneration(_ reader: ObjectReader) -> Generation {
        reader.rejectUnknown(allowing: ["provider", "model", "prompt", "job_id", "params"])
        return Generation(
            provider: reader.string("provider"), model: reader.string("model"), prompt: reader.string("prompt"),
            jobID: reader.string("job_id"), params: reader.stringMap("params") ?? [:])
    }

    /// `1073741824`, `"512MB"`, `"2GiB"`.
    private func readByteSize(_ reader: ObjectReader, _ key: String) -> Int64? {
        guard reader.has(key) else { return nil }
        if case .number = reader.fields[key] { return reader.integer(key, minimum: 1).map(Int64.init) }
        guard let text = reader.string(key) else { return nil }
        guard let bytes = ByteSize.parse(text) else {
            reader.report(key, "\"\(text)\" is not a size (e.g. 500MB, 2GiB)")
            return nil
        }
        return bytes
    }

    /// `600` (seconds), `"90s"`, `"10m"`, `"1h"`.
    private func readTimeLimit(_ reader: ObjectReader, _ key: String) -> Duration? {
        guard reader.has(key) else { return nil }
        if case .number = reader.fields[key] {
            return reader.number(key, minimum: 0, exclusive: true).map { .milliseconds(Int64(($0 * 1000).rounded())) }
        }
        guard let text = reader.string(key) else { return nil }
        guard let limit = TimeLimit.parse(text) else {
            reader.report(key, "\"\(text)\" is not a time (e.g. 90s, 10m, 1h)")
            return nil
        }
        return limit
    }

    private func readStitch(_ reader: ObjectReader) -> StageAction? {
        let inputs = reader.strings("inputs", required: true)
        if let inputs, inputs.isEmpty { reader.report("inputs", "must name at least one stage") }
        var parameters = StitchParameters()
        parameters.mode = reader.choice("mode", StitchMode.self) ?? .auto
        if let video = reader.object("video") {
            video.rejectUnknown(allowing: ["size", "fps", "fit", "preset", "crf", "max_pixels"])
            if let size = video.string("size") {
                parameters.size = FrameSize(size)
                if parameters.size == nil { video.report("size", "\"\(size)\" is not a size like 1280x720") }
            }
            parameters.fps = video.number("fps", minimum: 0, exclusive: true)
            parameters.fit = video.choice("fit", FitMode.self) ?? .pad
            parameters.preset = video.string("preset")
            parameters.crf = video.integer("crf", minimum: 0)
            parameters.pixelLimit = readPixelLimit(video) ?? .standard
        }
        if let audio = reader.object("audio") {
            audio.rejectUnknown(allowing: ["rate", "channels"])
            parameters.audioRate = audio.integer("rate", minimum: 8000)
            parameters.audioChannels = audio.integer("channels", minimum: 1)
        }
        guard let inputs else { return nil }
        return .stitch(inputs: inputs, parameters)
    }

    private func readThumbnail(_ reader: ObjectReader) -> StageAction? {
        let input = reader.string("input", required: true)
        var shape: ThumbnailParameters.Shape = .frame(at: .best)
        if let sprite = reader.object("sprite") {
            sprite.rejectUnknown(allowing: ["every", "columns", "rows", "width"])
            if reader.has("at") { reader.report("at", "a sprite takes frames every N seconds; drop \"at\"") }
            shape = .sprite(
                every: sprite.number("every", minimum: 0, exclusive: true) ?? 10,
                columns: sprite.integer("columns", minimum: 1) ?? 5, rows: sprite.integer("rows", minimum: 1))
        } else if let at = reader.fields["at"] {
            let text: String? =
                switch at {
                case .number(let n): format(n)
                case .string: reader.string("at")
                default: nil
                }
            if let text, let point = try? ThumbnailTime(parsing: text) {
                shape = .frame(at: point)
            } else {
                reader.report("at", "must be seconds (12.5), a percentage below 100 (\"25%\") or \"best\"")
            }
        }
        let width = reader.integer("width", minimum: 1)
        let height = reader.integer("height", minimum: 1)
        let quality = reader.integer("quality", minimum: 1)
        if let quality, quality > 31 { reader.report("quality", "must be 1 (best) to 31, not \(quality)") }
        let format = reader.string("format") ?? "jpg"
        if !["jpg", "jpeg", "png"].contains(format) {
            reader.report("format", "must be jpg or png, not \"\(format)\"")
        }
        guard let input else { return nil }
        return .thumbnail(
            input: input,
            ThumbnailParameters(
                shape: shape, width: width, height: height, quality: quality, format: format,
                pixelLimit: readPixelLimit(reader) ?? .standard))
    }

    /// `max_pixels`: a whole number of pixels, or a string `N` or `WxH`.
    private func readPixelLimit(_ reader: ObjectReader) -> PixelLimit? {
        guard reader.has("max_pixels") else { return nil }
        if case .number = reader.fields["max_pixels"] {
            return reader.integer("max_pixels", minimum: 1).map { PixelLimit(maxPixels: $0) }
        }
        guard let text = reader.string("max_pixels") else { return nil }
        guard let limit = PixelLimit(text) else {
            reader.report("max_pixels", "\"\(text)\" is not \(PixelLimit.syntax)")
            return nil
        }
        return limit
    }

    private func readStore(_ reader: ObjectReader) -> StageAction? {
        let inputs = reader.strings("inputs", required: true)
        if let inputs, inputs.isEmpty { reader.report("inputs", "must name at least one stage") }
        let remote = reader.string("remote")
        let key = reader.string("key")
        if key != nil && remote == nil { reader.report("key", "a key needs a \"remote\" to upload to") }
        guard let inputs else { return nil }
        return .store(inputs: inputs, StoreParameters(remote: remote, key: key))
    }

    /// Unknown ids, stages that read what they cannot use, and cycles.
    private func checkReferences(_ stages: [Stage], positions: [String: Int]) {
        let byID = Dictionary(stages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for stage in stages {
            let index = positions[stage.id] ?? 0
            let field = stage.type == .probe || stage.type == .thumbnail ? "input" : "inputs"
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
                let accepted: [StageType.Product] = stage.type == .store ? [.video, .image] : [.video]
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
                fields: reader.fields, path: reader.path, stage: id, problems: problems, expand: expand)
            guard let stage = stages.first(where: { $0.id == id }) else {
                expect.report(id, "no stage \"\(id)\" to check\(suggestion(for: id, among: stages.map(\.id)))")
                continue
            }
            if ![.fetch, .stitch].contains(stage.type) {
                expect.report(id, "checks apply to video outputs (fetch, stitch), not a \(stage.type.rawValue) stage")
            }
            expectations.append(Self.readExpectation(scoped, stage: id))
        }
        return expectations
    }

    static func readExpectation(_ reader: ObjectReader, stage: String) -> Expectation {
        reader.rejectUnknown(allowing: ["duration", "video", "audio", "frames", "sha256", "checksums"])
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
            if let size = video.string("size") {
                expectation.videoSize = FrameSize(size)
                if expectation.videoSize == nil { video.report("size", "\"\(size)\" is not a size like 1280x720") }
            }
            expectation.videoCodec = video.string("codec")
            expectation.fps = video.number("fps", minimum: 0, exclusive: true)
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
        expectation.checksums = reader.string("checksums")
        return expectation
    }
}
