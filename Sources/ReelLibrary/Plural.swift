/// Counts in messages: `1 problem`, `2 problems`, `0 items`.
public enum Plural {
    /// `count` and the noun, in the singular for exactly one (`plural` defaults to the singular plus `s`).
    public static func count(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}

extension Plural {
    /// A count with its thousands grouped by commas, as in messages: `4,998`.
    public static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (count < 0 ? "-" : "") + result
    }
}
