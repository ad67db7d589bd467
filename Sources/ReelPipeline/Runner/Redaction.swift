import Foundation
import ReelLibrary

/// Secrets out of what a run stores: its params, its definition and the generation details of its fetches.
extension Redactor {
    /// A redactor that knows the pipeline's fetch URLs and params (see ``Redactor`` for the rules).
    public init(pipeline: Pipeline) {
        let urls = pipeline.stages.compactMap { stage -> SignedURL? in
            guard case .url(let url) = stage.as(FetchStage.self)?.source else { return nil }
            return url
        }
        self.init(urls: urls, params: pipeline.params)
    }

    /// The pipeline file as stored: members of every `params` object (the pipeline's own and each generation's)
    /// redacted as params are, every other string with its URLs redacted and its secrets replaced; keys sorted.
    /// Text that is not JSON is stored with its URLs redacted.
    func redactingDefinition(_ data: Data) -> String {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let redacted = try? JSONSerialization.data(
                withJSONObject: scrub(root, inParams: false), options: [.sortedKeys, .withoutEscapingSlashes])
        else { return redactingText(String(decoding: data, as: UTF8.self)) }
        return String(decoding: redacted, as: UTF8.self)
    }

    private func scrub(_ value: Any, inParams: Bool) -> Any {
        switch value {
        case let object as [String: Any]:
            return object.reduce(into: [String: Any]()) { result, member in
                if inParams, !(member.value is [String: Any] || member.value is [Any]) {
                    let text = member.value as? String ?? "\(member.value)"
                    let stored = redact(text, named: member.key)
                    result[member.key] = stored == text ? member.value : stored
                } else {
                    result[member.key] = scrub(member.value, inParams: member.key == "params")
                }
            }
        case let array as [Any]: return array.map { scrub($0, inParams: false) }
        case let text as String: return redactingText(text)
        default: return value
        }
    }
}
