import Foundation

/// An object key template such as `campaigns/${campaign}/videos/${uuid}.${ext}`.
///
/// Names filled from the item: `${id}`, `${sha256}`, `${ext}`, `${name}` (the item's name without its
/// extension), `${uuid}` (new for each expansion), `${date}` (`2026-12-01`, UTC), and in a pipeline `${stage}` (the
/// store stage's id); any other name comes from `values` (`--param`, pipeline params). No value may take a
/// built-in name (``reservedNameProblem(_:)``).
public struct KeyTemplate: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    /// The names Reel fills in itself.
    public static let builtInNames = ["id", "sha256", "ext", "name", "uuid", "date", "stage"]

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// Why a value (a `--param`, a pipeline param used in a key) may not be called `name`, or nil when it may: a
    /// param named like a built-in name would silently change what that name means.
    public static func reservedNameProblem(_ name: String) -> String? {
        guard builtInNames.contains(name) else { return nil }
        return "${\(name)} is a built-in key template name (\(builtInNames.joined(separator: ", "))); "
            + "a param cannot replace it: give the param another name"
    }

    /// `key` made unique for `itemID`: `-<id>` inserted before the extension of its last segment
    /// (`v/ep.mp4` → `v/ep-<id>.mp4`, `v/ep` → `v/ep-<id>`).
    public static func uniqueKey(_ key: String, itemID: String) -> String {
        let segment = key.lastIndex(of: "/").map { key.index(after: $0) } ?? key.startIndex
        guard let dot = key[segment...].lastIndex(of: "."), dot > segment else { return key + "-" + itemID }
        return key[..<dot] + "-" + itemID + key[dot...]
    }

    /// The key for `item`; `stage` fills `${stage}`. An unknown `${name}`, a value with a built-in name, or a key S3
    /// cannot take is an error naming it.
    public func expand(
        for item: Item, values: [String: String] = [:], stage: String? = nil, now: Date = Date()
    ) throws(LibraryError) -> String {
        for name in values.keys.sorted() {
            if let problem = Self.reservedNameProblem(name) {
                throw .invalidArgument("key template \"\(text)\": value \(name): \(problem)")
            }
        }
        let date = ISO8601DateFormatter.string(from: now, timeZone: .gmt, formatOptions: [.withFullDate])
        var builtIn: [String: String] = [
            "id": item.id, "sha256": item.sha256, "ext": item.ext,
            "name": ((item.name as NSString).deletingPathExtension as String), "date": date,
        ]
        builtIn["stage"] = stage
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
            } else if let value = builtIn[name] ?? values[name] {
                key += value
            } else {
                let known = Self.builtInNames.filter { $0 != "stage" || stage != nil }
                throw .invalidArgument(
                    "key template \"\(text)\": unknown name ${\(name)} (known: "
                        + (known + values.keys.sorted()).joined(separator: ", ") + ")")
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
