import Foundation

/// An object key template such as `campaigns/${campaign}/videos/${uuid}.${ext}`.
///
/// Names filled from the item: `${id}`, `${sha256}`, `${ext}`, `${name}` (the item's name without its
/// extension), `${uuid}` (new for each expansion), `${date}` (`2026-12-01`, UTC); any other name comes from
/// `values` (pipeline params, the stage id).
public struct KeyTemplate: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// The key for `item`. An unknown `${name}` or a key S3 cannot take is an error naming it.
    public func expand(for item: Item, values: [String: String] = [:], now: Date = Date()) throws(LibraryError)
        -> String
    {
        let date = ISO8601DateFormatter.string(from: now, timeZone: .gmt, formatOptions: [.withFullDate])
        let builtIn: [String: String] = [
            "id": item.id, "sha256": item.sha256, "ext": item.ext,
            "name": ((item.name as NSString).deletingPathExtension as String), "date": date,
        ]
        var key = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            key += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw .invalidArgument("key template \"\(text)\": \"${\" without a closing \"}\"")
            }
            let name = String(rest[start.upperBound..<end])
            if name == "uuid" {
                key += UUID().uuidString.lowercased()
            } else if let value = values[name] ?? builtIn[name] {
                key += value
            } else {
                throw .invalidArgument(
                    "key template \"\(text)\": unknown name ${\(name)} (known: id, sha256, ext, name, uuid, date"
                        + (values.isEmpty ? "" : ", " + values.keys.sorted().joined(separator: ", ")) + ")")
            }
            rest = rest[rest.index(after: end)...]
        }
        key += rest
        while key.hasPrefix("/") { key.removeFirst() }
        guard !key.isEmpty, key.utf8.count <= 1024, !key.split(separator: "/").contains(where: { $0 == ".." }) else {
            throw .invalidArgument("key template \"\(text)\" gives \"\(key)\", which is not an object key")
        }
        return key
    }
}
