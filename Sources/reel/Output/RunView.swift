import Foundation
import ReelPipeline

/// A run manifest for a person: the run, its pipeline and times, then per stage its type, status, time, cache hit,
/// outputs, notes and error, then the expectations. Read from the manifest's JSON, so a run that never finished
/// (its manifest built from the stages it recorded) reads the same way.
enum RunView {
    /// The view of `manifest` (the JSON object of a run manifest).
    static func render(_ manifest: [String: Any]) -> String {
        var lines = ["run \(manifest["run_id"] as? String ?? "?"): \(manifest["status"] as? String ?? "?")"]
        if let pipeline = manifest["pipeline"] as? [String: Any] {
            let sha256 = (pipeline["sha256"] as? String).map { ", sha256 \($0.prefix(12))…" } ?? ""
            lines.append(
                "pipeline: \(pipeline["name"] as? String ?? "?") (\(pipeline["path"] as? String ?? "?")\(sha256))")
        }
        let started = manifest["started_at"] as? String
        let finished = manifest["finished_at"] as? String
        lines.append("started:  \(started ?? "-")")
        lines.append("finished: \(finished ?? "not finished")" + span(from: started, to: finished))
        if let params = manifest["params"] as? [String: Any], !params.isEmpty {
            lines.append("params:   " + params.keys.sorted().map { "\($0)=\(params[$0] ?? "")" }.joined(separator: " "))
        }
        let stages = manifest["stages"] as? [[String: Any]] ?? []
        lines.append("stages:" + (stages.isEmpty ? " none recorded" : ""))
        let width = stages.map { ($0["id"] as? String ?? "").count }.max() ?? 0
        for stage in stages { lines += describe(stage, width: width) }
        let checks = manifest["expect"] as? [[String: Any]] ?? []
        if !checks.isEmpty { lines.append("expect:") }
        for check in checks {
            let ok = check["ok"] as? Bool ?? false
            lines.append(
                "  \(check["stage"] as? String ?? "") \(check["check"] as? String ?? ""): \(ok ? "ok" : "FAILED") "
                    + "(expected \(check["expected"] as? String ?? "?"), got \(check["actual"] as? String ?? "?"))")
        }
        if let error = manifest["error"] as? String { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }

    /// The view of a manifest the runner returned.
    static func render(_ manifest: RunManifest) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(manifest))
        return render(object as? [String: Any] ?? [:])
    }

    private static func describe(_ stage: [String: Any], width: Int) -> [String] {
        let id = (stage["id"] as? String ?? "").padding(toLength: width, withPad: " ", startingAt: 0)
        let type = (stage["type"] as? String ?? "").padding(toLength: 9, withPad: " ", startingAt: 0)
        let status = (stage["status"] as? String ?? "").padding(toLength: 9, withPad: " ", startingAt: 0)
        let time = (stage["seconds"] as? Double).map { String(format: "%.2fs", $0) } ?? "-"
        let cached = stage["cache_hit"] as? Bool == true ? "  cached" : ""
        var lines = ["  \(id)  \(type) \(status) \(time)\(cached)"]
        for output in stage["outputs"] as? [[String: Any]] ?? [] {
            let remote = (output["remote"] as? [String: Any]).map {
                "  → \($0["remote"] as? String ?? "") \($0["key"] as? String ?? "")"
            }
            lines.append(
                "      \(output["role"] as? String ?? "") \(output["item_id"] as? String ?? "-") "
                    + "\(output["path"] as? String ?? "")\(remote ?? "")")
        }
        for warning in stage["warnings"] as? [String] ?? [] { lines.append("      note: \(warning)") }
        if let error = stage["error"] as? String { lines.append("      error: \(error)") }
        return lines
    }

    /// ` (12.30 s)` between two ISO 8601 times, or nothing.
    private static func span(from start: String?, to end: String?) -> String {
        let formatter = ISO8601DateFormatter()
        guard let start = start.flatMap(formatter.date(from:)), let end = end.flatMap(formatter.date(from:)) else {
            return ""
        }
        return String(format: " (%.2f s)", end.timeIntervalSince(start))
    }
}
