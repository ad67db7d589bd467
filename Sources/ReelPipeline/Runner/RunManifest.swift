import Foundation

/// The machine-readable record of one run, as `reel run --json` prints it and the library keeps it.
public struct RunManifest: Sendable, Equatable {
    /// How the run as a whole ended.
    public enum Status: String, Sendable, Codable {
        case ok, failed, cancelled
    }

    /// The pipeline that ran.
    public struct PipelineReference: Sendable, Equatable, Codable {
        public var name: String
        public var path: String
        /// SHA-256 of the pipeline file's bytes.
        public var sha256: String
    }

    public var runID: String
    public var pipeline: PipelineReference
    public var params: [String: String]
    public var status: Status
    public var startedAt: Date
    public var finishedAt: Date
    public var stages: [StageReport]
    public var expect: [CheckResult]
    /// Why the run failed when no stage or check says so (its record could not be written).
    public var error: String?

    /// `failed` when a stage failed or an expectation missed, `cancelled` when a stage was cancelled, else `ok`.
    public static func status(of stages: [StageReport], expect: [CheckResult]) -> Status {
        if stages.contains(where: { $0.status == .cancelled }) { return .cancelled }
        if stages.contains(where: { $0.status != .ok }) || expect.contains(where: { !$0.ok }) { return .failed }
        return .ok
    }
}

extension RunManifest: Codable {
    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case pipeline, params, status
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case stages, expect, error
    }
}

extension Pipeline {
    /// Checks every expectation against the first video output of its stage; a failed `similar_to` writes its
    /// difference picture and SSIM plot in `pictures`.
    public func checkExpectations(against reports: [StageReport], pictures: String? = nil) -> [CheckResult] {
        expectations.flatMap { expectation -> [CheckResult] in
            let report = reports.first { $0.id == expectation.stage }
            guard let path = Self.checkedOutput(of: expectation, in: reports) else {
                return [
                    CheckResult(
                        stage: expectation.stage, check: "stage", expected: "an output file",
                        actual: report.map { "stage \($0.status.rawValue)" } ?? "no such stage", ok: false)
                ]
            }
            do {
                return try Verifier.check(path, against: expectation, pictures: pictures)
            } catch {
                return [
                    CheckResult(
                        stage: expectation.stage, check: "readable", expected: "a media file", actual: "\(error)",
                        ok: false)
                ]
            }
        }
    }

    /// Writes every golden the expectations name (``Goldens/update(_:from:)``) from their stages' outputs; a stage
    /// without an output writes none. Returns the files written.
    @discardableResult
    public func updateGoldens(from reports: [StageReport]) throws -> [String] {
        try expectations.flatMap { expectation -> [String] in
            guard let path = Self.checkedOutput(of: expectation, in: reports) else { return [] }
            return try Goldens.update(expectation, from: path)
        }
    }

    /// The file an expectation checks: the first output of its stage that is a media file, when the stage ran.
    private static func checkedOutput(of expectation: Expectation, in reports: [StageReport]) -> String? {
        let report = reports.first { $0.id == expectation.stage }
        guard report?.status == .ok else { return nil }
        return report?.outputs.first(where: { $0.path != nil && $0.kind != "vtt" })?.path
    }
}
