import Crypto
import Foundation
import ReelLibrary

/// One `reel run`: the pipeline run against a library, recorded in its catalog (run, stages, outputs), with the
/// expectations checked and the manifest written to `<library>/runs/<run id>.json`.
public struct PipelineRun: Sendable {
    public let pipeline: Pipeline
    /// The pipeline file, as given.
    public let path: String
    public let library: Library
    public let jobs: Int
    public let useCache: Bool
    /// Shared by the runs of a batch's rows: stages with one cache key run one at a time.
    public let gate: StageGate?
    /// Whether the expectations' goldens are written from this run's outputs before they are checked.
    public let updateGoldens: Bool

    public init(
        pipeline: Pipeline, path: String, library: Library, jobs: Int, useCache: Bool, gate: StageGate? = nil,
        updateGoldens: Bool = false
    ) {
        self.pipeline = pipeline
        self.path = path
        self.library = library
        self.jobs = jobs
        self.useCache = useCache
        self.gate = gate
        self.updateGoldens = updateGoldens
    }

    /// Runs every stage and returns the manifest. Stage failures are in the manifest, not thrown; what throws is
    /// a library that cannot record the run at all. The run holds its lease (``RunLease``) from before its row is
    /// written until after it is finished, so a run whose process dies shows as `interrupted`; a run whose full
    /// record cannot be written still ends `failed`, with its manifest.
    public func execute(events: AsyncStream<RunEvent>.Continuation? = nil) async throws -> RunManifest {
        try await execute(events: events, batchRow: nil).manifest
    }

    /// Runs the pipeline as ``execute(events:)`` does, for a row of a batch: `definition` is the pipeline file's
    /// bytes as the batch read them (not read again per row), and the row `batchRow` makes of the manifest is
    /// recorded in the transaction that records the finished run. `recordedRow` says whether it was: not when
    /// the run's full record could not be written.
    public func execute(
        events: AsyncStream<RunEvent>.Continuation?, definition: Data? = nil,
        batchRow: (@Sendable (RunManifest) throws -> BatchRowRecord)?
    ) async throws -> (manifest: RunManifest, recordedRow: Bool) {
        let started = Date()
        let runID = Self.newRunID(at: started)
        let definition = try definition ?? Data(contentsOf: URL(fileURLWithPath: path))
        let reference = RunManifest.PipelineReference(
            name: pipeline.name, path: path,
            sha256: SHA256.hash(data: definition).map { String(format: "%02x", $0) }.joined())
        let redactor = Redactor(pipeline: pipeline)
        let params = redactor.redact(pipeline.params)
        let paramsJSON = String(decoding: try Self.encoder.encode(params), as: UTF8.self)
        var record = RunRecord(
            id: runID, pipelineName: pipeline.name, pipelinePath: path, pipelineSHA256: reference.sha256,
            definitionJSON: redactor.redactingDefinition(definition),
            paramsJSON: paramsJSON, status: "running", startedAt: started, finishedAt: nil, manifestJSON: nil,
            stages: [])
        let lease = try library.begin(record)
        defer { lease.release() }

        let runner = PipelineRunner(
            executor: LibraryStages(library: library, redactor: redactor),
            cache: useCache ? LibraryStageCache(library: library, runID: runID) : nil, jobs: jobs, gate: gate)
        let reports = await runner.run(pipeline, events: events)
        let pictures = (library.runsDirectory as NSString).appendingPathComponent(runID)
        if updateGoldens && !Task.isCancelled { try pipeline.updateGoldens(from: reports) }
        let checks = Task.isCancelled ? [] : pipeline.checkExpectations(against: reports, pictures: pictures)
        var manifest = RunManifest(
            runID: runID, pipeline: reference, params: params,
            status: RunManifest.status(of: reports, expect: checks), startedAt: started, finishedAt: Date(),
            stages: reports, expect: checks)

        var manifestJSON = try Self.encoder.encode(manifest)
        record.status = manifest.status.rawValue
        record.finishedAt = manifest.finishedAt
        record.manifestJSON = String(decoding: manifestJSON, as: UTF8.self)
        record.stages = try reports.map { report in
            RunRecord.Stage(
                id: report.id, type: report.type.rawValue, status: report.status.rawValue, cacheKey: report.cacheKey,
                cacheHit: report.cacheHit, startedAt: report.startedAt, finishedAt: report.finishedAt,
                seconds: report.seconds, error: report.error, outputs: try report.outputs.map { try $0.catalogEntry })
        }
        do {
            try library.finish(record, batchRow: batchRow?(manifest), lease: lease)
        } catch {
            manifest.status = .failed
            manifest.error = "recording the run in the catalog failed: \(error)"
            manifestJSON = try Self.encoder.encode(manifest)
            let recorded = Result { () throws(LibraryError) in
                try library.finishFailed(
                    runID: runID, finishedAt: manifest.finishedAt,
                    manifestJSON: String(decoding: manifestJSON, as: UTF8.self), reason: "\(error)", lease: lease)
            }
            try writeManifest(manifestJSON, runID: runID)
            try recorded.get()
            return (manifest, false)
        }
        try writeManifest(manifestJSON, runID: runID)
        return (manifest, batchRow != nil)
    }

    /// `<library>/runs/<run id>.json`, written whole or not at all.
    private func writeManifest(_ json: Data, runID: String) throws {
        try json.write(
            to: URL(fileURLWithPath: (library.runsDirectory as NSString).appendingPathComponent("\(runID).json")),
            options: .atomic)
    }

    /// `20261124T201530-3fa9c1`: sortable by time, unique by the random tail.
    static func newRunID(at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return "\(formatter.string(from: date))-\(UUID().uuidString.lowercased().prefix(6))"
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
