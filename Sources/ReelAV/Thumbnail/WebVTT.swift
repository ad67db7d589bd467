/// A WebVTT file of thumbnail cues, as web players read for scrub previews: each cue's text is
/// `SHEET.jpg#xywh=x,y,w,h`, and cues follow each other back to back.
public struct WebVTT: Sendable, Hashable {
    /// One cue: the stretch `start..<end` (seconds) and the text shown for it.
    public struct Cue: Sendable, Hashable {
        public var start: Double
        public var end: Double
        public var text: String

        public init(start: Double, end: Double, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }
    }

    public var cues: [Cue]

    public init(cues: [Cue]) { self.cues = cues }

    /// The cues for `tiles`, each pointing at its sheet (by file name, so the index can move with the sheets).
    public init(tiles: [SpriteTile]) {
        cues = tiles.map { tile in
            let name = tile.sheet.split(separator: "/").last.map(String.init) ?? tile.sheet
            return Cue(
                start: tile.start, end: tile.end,
                text: "\(name)#xywh=\(tile.x),\(tile.y),\(tile.width),\(tile.height)")
        }
    }

    /// The file's text: the `WEBVTT` header, then one numbered cue per tile.
    public var text: String {
        var lines = ["WEBVTT", ""]
        for (number, cue) in cues.enumerated() {
            lines.append("\(number + 1)")
            lines.append("\(Self.timestamp(cue.start)) --> \(Self.timestamp(cue.end))")
            lines.append(cue.text)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// `HH:MM:SS.mmm`.
    public static func timestamp(_ seconds: Double) -> String {
        let millis = max(0, Int((seconds * 1000).rounded()))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = millis % 1000
        let fractionText = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(two(millis / 3_600_000)):\(two(millis / 60000 % 60)):\(two(millis / 1000 % 60)).\(fractionText)"
    }
}
