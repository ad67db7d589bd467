/// Picks a representative frame among candidates, as ffmpeg's `thumbnail` filter does, after throwing out
/// frames no one wants as a poster: black or near-black, flat (one colour), or blurry compared with the rest.
public struct FrameSelector: Sendable {
    /// What the selector measured on one candidate (a small RGB24 copy of it).
    public struct Measure: Sendable, Hashable {
        /// Average luma, 0–255.
        public var meanLuma: Double
        /// Standard deviation of luma: near zero for a flat picture.
        public var lumaDeviation: Double
        /// Mean absolute Laplacian of luma: low for a blurry picture.
        public var sharpness: Double
        /// 32 bins per channel (R, G, B), as fractions of the pixels.
        public var histogram: [Double]

        /// Measures an RGB24 picture given as rows of `width * 3` bytes.
        public init(rgb bytes: [UInt8], width: Int, height: Int) {
            var histogram = [Double](repeating: 0, count: 96)
            var luma = [Double](repeating: 0, count: width * height)
            for index in 0..<(width * height) {
                let red = Int(bytes[index * 3])
                let green = Int(bytes[index * 3 + 1])
                let blue = Int(bytes[index * 3 + 2])
                histogram[red >> 3] += 1
                histogram[32 + (green >> 3)] += 1
                histogram[64 + (blue >> 3)] += 1
                luma[index] = Double(77 * red + 150 * green + 29 * blue) / 256
            }
            let count = Double(max(1, width * height))
            let mean = luma.reduce(0, +) / count
            let variance = luma.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
            var edges = 0.0
            var samples = 0
            if width > 2, height > 2 {
                for y in 1..<(height - 1) {
                    for x in 1..<(width - 1) {
                        let center = luma[y * width + x]
                        let around =
                            luma[y * width + x - 1] + luma[y * width + x + 1] + luma[(y - 1) * width + x]
                            + luma[(y + 1) * width + x]
                        edges += abs(around - 4 * center)
                        samples += 1
                    }
                }
            }
            meanLuma = mean
            lumaDeviation = variance.squareRoot()
            sharpness = samples > 0 ? edges / Double(samples) : 0
            self.histogram = histogram.map { $0 / count }
        }

        /// Average luma below this: black or near-black.
        public static let darkLuma = 32.0
        /// Luma deviation below this: a flat picture.
        public static let flatDeviation = 12.0

        /// Black, near-black or flat.
        public var isUnwanted: Bool { meanLuma < Self.darkLuma || lumaDeviation < Self.flatDeviation }
    }

    /// Sharpness below this share of the kept candidates' median sharpness counts as blurry.
    public static let blurryShare = 0.25

    public init() {}

    /// The index of the chosen candidate: among those neither dark, flat nor blurry, the one whose histogram is
    /// closest (least squares) to their mean. When all are unwanted, the one with the most luma variation.
    public func choose(_ measures: [Measure]) -> Int? {
        guard !measures.isEmpty else { return nil }
        var kept = measures.indices.filter { !measures[$0].isUnwanted }
        let sharpness = kept.map { measures[$0].sharpness }.sorted()
        if !sharpness.isEmpty, sharpness[sharpness.count / 2] > 0 {
            let median = sharpness[sharpness.count / 2]
            kept = kept.filter { measures[$0].sharpness >= median * Self.blurryShare }
        }
        guard !kept.isEmpty else {
            return measures.indices.max { measures[$0].lumaDeviation < measures[$1].lumaDeviation }
        }
        var mean = [Double](repeating: 0, count: 96)
        for index in kept {
            for bin in 0..<96 { mean[bin] += measures[index].histogram[bin] / Double(kept.count) }
        }
        func distance(_ index: Int) -> Double {
            zip(measures[index].histogram, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return kept.min { distance($0) < distance($1) }
    }
}
