import Foundation
import ReelLibrary

/// Human forms of library items: a table, a description, a lineage tree.
enum ItemTable {
    static func render(_ items: [Item]) -> String {
        guard !items.isEmpty else { return "no items" }
        let header = ["ID", "KIND", "SOURCE", "SAVED", "SIZE", "DURATION", "SIZE(PX)", "NAME"]
        let rows = items.map { item in
            [
                item.id, item.kind.rawValue, item.sourceType.rawValue, item.saved ? "saved" : "draft",
                ByteCount.text(item.size),
                item.media?.duration.map { String(format: "%.2fs", $0) } ?? "-",
                item.media.flatMap { media in
                    media.displayWidth.map { "\($0)x\(media.displayHeight ?? 0)" }
                } ?? "-",
                item.name,
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func describe(_ item: Item) -> String {
        var lines = [
            "id:          \(item.id)", "name:        \(item.name)", "kind:        \(item.kind.rawValue)",
            "sha256:      \(item.sha256)", "size:        \(Plural.count(Int(item.size), "byte"))",
            "source:      \(item.sourceType.rawValue)",
            "saved:       \(item.saved ? "yes" : "no (draft)")",
            "created:     \(ISO8601DateFormatter().string(from: item.createdAt))", "path:        \(item.path)",
        ]
        if let media = item.media {
            var parts: [String] = []
            if let duration = media.duration { parts.append(String(format: "%.3fs", duration)) }
            if let width = media.displayWidth, let height = media.displayHeight { parts.append("\(width)x\(height)") }
            if let codec = media.videoCodec { parts.append(codec) }
            if let fps = media.fps { parts.append(String(format: "%.3g fps", fps)) }
            if let codec = media.audioCodec {
                parts.append("\(codec) \(media.audioRate ?? 0) Hz \(media.audioChannels ?? 0) ch")
            }
            lines.append("media:       \(parts.joined(separator: ", "))")
        }
        if let generation = item.generation {
            let made = [generation.provider, generation.model].compactMap { $0 }.joined(separator: " / ")
            lines.append("generated:   \(made)\(generation.jobID.map { " (job \($0))" } ?? "")")
            if let prompt = generation.prompt { lines.append("prompt:      \(prompt)") }
            if let url = generation.sourceURL { lines.append("source url:  \(url)") }
        }
        for remote in item.remotes {
            lines.append("remote:      \(remote.remote) \(remote.key) (\(remote.status.rawValue))")
        }
        return lines.joined(separator: "\n")
    }

    /// The item, then what it was made from as a tree (`made from:`), then what was made from it as a list
    /// (`used by:`); each part says `nothing` when empty.
    static func lineage(_ node: LineageNode) -> String {
        var lines = [label(node), "made from:"]
        func walk(_ children: [LineageNode], _ prefix: String) {
            for (index, child) in children.enumerated() {
                let last = index == children.count - 1
                lines.append(prefix + (last ? "└─ " : "├─ ") + "[\(child.role ?? "")] " + label(child))
                walk(child.inputs, prefix + (last ? "   " : "│  "))
            }
        }
        if node.inputs.isEmpty { lines.append("  nothing (\(node.item.sourceType.rawValue))") }
        walk(node.inputs, "  ")
        lines.append("used by:")
        if node.derived.isEmpty { lines.append("  nothing") }
        for child in node.derived { lines.append("  [\(child.role ?? "")] " + label(child)) }
        return lines.joined(separator: "\n")
    }

    private static func label(_ node: LineageNode) -> String {
        let item = node.item
        if node.deletedAt != nil {
            return "(deleted) \(item.name) sha256 \(item.sha256.prefix(16))… (was \(item.id), \(item.kind.rawValue))"
        }
        var text = "\(item.id) \(item.kind.rawValue) \(item.name) (\(item.sourceType.rawValue))"
        if let generation = item.generation {
            text += " ← \([generation.provider, generation.model].compactMap { $0 }.joined(separator: "/"))"
            if let prompt = generation.prompt { text += ": \"\(prompt)\"" }
        }
        return text
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
