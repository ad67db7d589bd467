/// Counts in messages: `1 problem`, `2 problems`, `0 items`.
public enum Plural {
    /// `count` and the noun, in the singular for exactly one (`plural` defaults to the singular plus `s`).
    public static func count(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
