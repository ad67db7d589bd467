import ReelLibrary

/// An item's lineage as an SVG picture: the item in the middle, what it was made from to its left (their inputs
/// further left), what was made from it to its right; every box links to its item's page.
enum LineageGraph {
    private static let boxWidth = 180
    private static let boxHeight = 40
    private static let columnGap = 60
    private static let rowGap = 14

    private struct Box {
        var node: LineageNode
        var column: Int
        var row: Int
        var parent: Int?
    }

    static func svg(_ root: LineageNode) -> String {
        var boxes: [Box] = []
        var rows: [Int: Int] = [:]
        func place(_ node: LineageNode, column: Int, parent: Int?) {
            let row = rows[column, default: 0]
            rows[column] = row + 1
            boxes.append(Box(node: node, column: column, row: row, parent: parent))
            let index = boxes.count - 1
            for input in node.inputs { place(input, column: column - 1, parent: index) }
        }
        place(root, column: 0, parent: nil)
        for derived in root.derived {
            let row = rows[1, default: 0]
            rows[1] = row + 1
            boxes.append(Box(node: derived, column: 1, row: row, parent: 0))
        }
        let minColumn = boxes.map(\.column).min() ?? 0
        let maxColumn = boxes.map(\.column).max() ?? 0
        let height = (rows.values.max() ?? 1) * (boxHeight + rowGap) + rowGap
        let width = (maxColumn - minColumn + 1) * (boxWidth + columnGap)
        func origin(_ box: Box) -> (x: Int, y: Int) {
            ((box.column - minColumn) * (boxWidth + columnGap) + columnGap / 2, rowGap + box.row * (boxHeight + rowGap))
        }
        var parts: [String] = []
        for box in boxes {
            guard let parent = box.parent else { continue }
            let (x, y) = origin(box)
            let (px, py) = origin(boxes[parent])
            let toRight = box.column > boxes[parent].column
            let x1 = toRight ? px + boxWidth : px
            let x2 = toRight ? x : x + boxWidth
            parts.append(
                "<line x1=\"\(x1)\" y1=\"\(py + boxHeight / 2)\" x2=\"\(x2)\" y2=\"\(y + boxHeight / 2)\"/>")
        }
        for (index, box) in boxes.enumerated() {
            let (x, y) = origin(box)
            let item = box.node.item
            let label = item.name.count > 22 ? String(item.name.prefix(21)) + "…" : item.name
            let role = box.node.role.map { "\($0) · " } ?? ""
            let rect =
                "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" rx=\"6\"/>"
                + "<text x=\"\(x + 8)\" y=\"\(y + 17)\">\(HTMLPage.escape(label))</text>"
                + "<text class=\"sub\" x=\"\(x + 8)\" y=\"\(y + 32)\">\(HTMLPage.escape(role))"
                + "\(item.kind.rawValue) \(item.id.prefix(8))</text>"
            let classes = index == 0 ? "node root" : (box.node.deletedAt != nil ? "node deleted" : "node")
            if index == 0 || box.node.deletedAt != nil {
                parts.append("<g class=\"\(classes)\"><title>\(HTMLPage.escape(item.name))</title>\(rect)</g>")
            } else {
                let role = HTMLPage.escape(box.node.role ?? "")
                parts.append(
                    "<a class=\"\(classes)\" href=\"/items/\(item.id)\" data-role=\"\(role)\">"
                        + "<title>\(HTMLPage.escape(item.name))</title>\(rect)</a>")
            }
        }
        return "<svg id=\"lineage\" class=\"lineage\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) "
            + "\(height)\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\(parts.joined())</svg>"
    }
}

/// A horizontal bar chart of byte counts, as inline SVG.
enum BarChart {
    static func svg(id: String, title: String, bars: [(label: String, bytes: Int64, style: String)]) -> String {
        let largest = max(1, bars.map(\.bytes).max() ?? 1)
        let rowHeight = 28
        let width = 460
        let labelWidth = 90
        let height = 30 + bars.count * rowHeight
        let rows = bars.enumerated().map { index, bar in
            let y = 30 + index * rowHeight
            let length = Int(Double(width - labelWidth - 110) * Double(bar.bytes) / Double(largest))
            return "<text x=\"0\" y=\"\(y + 16)\">\(HTMLPage.escape(bar.label))</text>"
                + "<rect class=\"\(bar.style)\" x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(max(1, length))\" "
                + "height=\"\(rowHeight - 10)\" data-bytes=\"\(bar.bytes)\"/>"
                + "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 16)\">\(HTMLPage.bytes(bar.bytes))</text>"
        }
        return "<svg id=\"\(id)\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><text class=\"title\" x=\"0\" y=\"18\">\(HTMLPage.escape(title))"
            + "</text>\(rows.joined())</svg>"
    }
}
