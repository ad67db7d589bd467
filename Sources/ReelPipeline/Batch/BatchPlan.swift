import Crypto
import Foundation
import ReelLibrary

/// A batch checked and ready to run: the pipeline validated once, every row read once (keys unique, columns that
/// name params, each row's params valid for the pipeline), nothing run yet. Rows are not kept: running streams the
/// file again.
public struct BatchPlan: Sendable {
    /// The pipeline file, as given.
    public let pipelinePath: String
    public let pipelineName: String
    public let pipelineSHA256: String
    public let rows: RowsFile
    public let rowsSHA256: String
    /// Rows in the file.
    public let rowCount: Int
    /// Rows in the shard this plan runs (all rows without one).
    public let shardRowCount: Int
    public let shard: Shard?
    /// `b-` and 12 hex digits of the pipeline's and rows file's hashes and the `--param` values: the same for every
    /// shard of one batch, so they record one batch.
    public let batchID: String
    /// `--param` values, for every row.
    public var overrides: [String: String] { rowParams.overrides }
    public var keyField: String? { rowParams.keyField }
    /// Rows whose params do not make a valid pipeline, by line: why, in one line (without the line).
    public let invalidRows: [Int: String]
    let rowParams: RowParams
    /// The pipeline file's bytes, read once for the batch.
    let definition: Data
    private let environment: StageEnvironment?

    /// Reads the pipeline and the rows (`rowsPath`, else the pipeline's `each`). Throws
    /// ``PipelineValidationError`` for a pipeline that is wrong whatever the rows hold, ``BatchInputError`` for a
    /// rows file that cannot be used, ``Shard/Problem`` never (the shard is resolved already).
    public static func make(
        pipeline path: String, rows rowsPath: String?, overrides: [String: String], keyField: String?,
        shard: Shard?, environment: StageEnvironment?
    ) throws -> BatchPlan {
        let definition: Data
        do {
            definition = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            _ = try Pipeline.load(contentsOf: path)
            throw error
        }
        let outline = try outline(of: definition, file: path, overrides: overrides)
        guard let rowsFile = rowsPath ?? outline.each else { throw BatchInputError.noRows(flag: "a batch") }
        let rows = try RowsFile(path: rowsFile)
        let reader = try rows.reader()
        var firstLines: [String: Int] = [:]
        var invalid: [Int: String] = [:]
        var inShard = 0
        let builder = RowParams(declared: outline.declared, overrides: overrides, keyField: keyField)
        while let row = try reader.next() {
            if let columns = reader.columns, reader.count == 1 {
                try builder.checkColumns(columns, file: rowsFile, line: 1)
            } else if reader.columns == nil {
                try builder.checkColumns(row.fields.keys.sorted(), file: rowsFile, line: row.line)
            }
            let key = try row.key(field: keyField, file: rowsFile)
            if let first = firstLines[key] {
                throw BatchInputError.duplicateKey(path: rowsFile, line: row.line, key: key, firstLine: first)
            }
            firstLines[key] = row.line
            guard shard?.contains(key: key) ?? true else { continue }
            inShard += 1
            if let problem = builder.problem(row, definition: definition, file: path, environment: environment) {
                invalid[row.line] = problem
            }
        }
        let pipelineSHA = hex(SHA256.hash(data: definition))
        let rowsSHA = reader.sha256
        let identity = ([pipelineSHA, rowsSHA] + overrides.keys.sorted().map { "\($0)=\(overrides[$0] ?? "")" })
            .joined(separator: "\n")
        return BatchPlan(
            pipelinePath: path, pipelineName: outline.name, pipelineSHA256: pipelineSHA, rows: rows,
            rowsSHA256: rowsSHA, rowCount: reader.count, shardRowCount: inShard, shard: shard,
            batchID: "b-" + hex(SHA256.hash(data: Data(identity.utf8))).prefix(12),
            invalidRows: invalid, rowParams: builder, definition: definition, environment: environment)
    }

    /// The pipeline's `each` (its rows file) as a path, relative ones resolved against the pipeline file's folder;
    /// nil when it has none (or is not a readable JSON object: loading it says why).
    public static func rowsFile(ofPipeline path: String) -> String? {
        guard let definition = try? Data(contentsOf: URL(fileURLWithPath: path)) else { return nil }
        return rowsFile(of: definition, file: path)
    }

    private static func rowsFile(of definition: Data, file: String) -> String? {
        let root = (try? JSONSerialization.jsonObject(with: definition)) as? [String: Any]
        guard let each = root?["each"] as? String, !each.isEmpty else { return nil }
        if each.hasPrefix("/") { return each }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(each)
            .standardizedFileURL.path
    }

    /// The pipeline for one row: its fields over `--param` over the file's defaults.
    public func pipeline(for row: BatchRow) throws -> Pipeline {
        try Pipeline.parse(
            definition, file: pipelinePath, params: rowParams.params(for: row), environment: environment)
    }

    /// The pipeline's name, params and rows file, read before the rows are; and the whole pipeline validated
    /// with no row's params: a problem that is not about a param no row gave yet is the pipeline's own.
    private static func outline(
        of definition: Data, file: String, overrides: [String: String]
    ) throws -> (name: String, declared: [String: Bool], each: String?) {
        do {
            let pipeline = try Pipeline.parse(definition, file: file, params: overrides)
            return (pipeline.name, declaredParams(definition, defaults: pipeline.params), pipeline.each)
        } catch let error as PipelineValidationError {
            let own = error.problems.filter { !$0.path.hasPrefix("params.") && !$0.message.contains("${") }
            guard own.isEmpty else { throw PipelineValidationError(problems: own) }
            let root = (try? JSONSerialization.jsonObject(with: definition)) as? [String: Any] ?? [:]
            let params = root["params"] as? [String: Any] ?? [:]
            let declared = Dictionary(
                uniqueKeysWithValues: params.map { ($0.key, !($0.value is NSNull) || overrides[$0.key] != nil) })
            return (root["name"] as? String ?? "", declared, rowsFile(of: definition, file: file))
        }
    }

    /// The params the file declares, each with whether it has a value without any row (a default or `--param`).
    private static func declaredParams(_ definition: Data, defaults: [String: String]) -> [String: Bool] {
        let root = (try? JSONSerialization.jsonObject(with: definition)) as? [String: Any] ?? [:]
        let params = root["params"] as? [String: Any] ?? [:]
        return Dictionary(uniqueKeysWithValues: params.keys.map { ($0, defaults[$0] != nil) })
    }
}

/// How a row's fields become params: the fields that name params, over `--param` values (the key field is a
/// param only when the pipeline declares it).
struct RowParams: Sendable {
    /// Declared params, each with whether it has a value without the row (a default or `--param`).
    var declared: [String: Bool]
    var overrides: [String: String]
    var keyField: String?

    func params(for row: BatchRow) -> [String: String] {
        var params = overrides
        for (name, value) in row.fields where declared[name] != nil { params[name] = value }
        return params
    }

    /// A column that names no param (the key field is allowed) is an error for the whole file.
    func checkColumns(_ columns: [String], file: String, line: Int) throws(BatchInputError) {
        for column in columns where declared[column] == nil && column != (keyField ?? "key") {
            throw .unknownColumn(
                path: file, line: line, column: column, suggestion: suggestion(for: column, among: declared.keys))
        }
    }

    /// Why this row's params do not make a valid pipeline, or nil when they do.
    func problem(
        _ row: BatchRow, definition: Data, file: String, environment: StageEnvironment?
    ) -> String? {
        let missing = declared.filter { !$0.value && row.fields[$0.key] == nil }.keys.sorted()
        if !missing.isEmpty {
            return "no value for "
                + missing.map { "param \"\($0)\"" }.joined(separator: ", ") + " (no column, --param or default)"
        }
        do {
            _ = try Pipeline.parse(definition, file: file, params: params(for: row), environment: environment)
            return nil
        } catch let error as PipelineValidationError {
            return error.problems.map(\.description).joined(separator: "; ")
        } catch {
            return ErrorLine.describe(error)
        }
    }
}

private func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
