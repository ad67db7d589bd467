import Foundation

/// How a URL is made fit to print and store: whatever could be a credential becomes `REDACTED`, by default.
///
/// - `user:password@` becomes `REDACTED@`.
/// - A query value is kept only when its name is one of ``safeNames`` (and the value is not a JWT); a value that is
///   itself an http(s) URL (a `redirect=` carrying a signed URL, percent-encoded or not) is kept in its own
///   redacted form, recursively; every other value becomes `REDACTED`, as does a name without a value.
/// - The fragment becomes `REDACTED` (it never reaches the server, so nothing needs it to find the file).
/// - Scheme, host, port and path are kept.
enum URLRedaction {
    /// Query names whose values are never credentials: they shape or pick the content. Everything else is hidden.
    static let safeNames: Set<String> = [
        "width", "height", "w", "h", "format", "quality", "v", "version", "page", "lang", "locale",
    ]

    /// How deep URLs nested in query values are followed; deeper ones are hidden whole.
    static let maxDepth = 4

    /// Characters left as they are when a redacted nested URL is put back into a query value.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The redacted form of `raw`, and every piece it hid (as written and percent-decoded).
    static func redact(_ raw: String, depth: Int = 0) -> (text: String, hidden: [String]) {
        guard depth <= maxDepth, var components = URLComponents(string: raw) else { return ("REDACTED", [raw]) }
        var hidden: [String] = []
        func hide(_ encoded: String) {
            hidden.append(encoded)
            if let decoded = encoded.removingPercentEncoding, decoded != encoded { hidden.append(decoded) }
        }
        if components.percentEncodedUser != nil || components.percentEncodedPassword != nil {
            [components.percentEncodedUser, components.percentEncodedPassword].compactMap { $0 }.forEach(hide)
            components.percentEncodedUser = "REDACTED"
            components.percentEncodedPassword = nil
        }
        if let query = components.percentEncodedQuery {
            let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair[0])
                guard pair.count == 2 else {
                    if name.isEmpty || isSafe(name) { return name }
                    hide(name)
                    return "REDACTED"
                }
                let encoded = String(pair[1])
                let value = encoded.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? encoded
                if isURL(value) {
                    let nested = redact(value, depth: depth + 1)
                    hidden += nested.hidden
                    return
                        "\(name)=\(nested.text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "REDACTED")"
                }
                if isSafe(name) && !value.contains("://") && !JWT.looksLikeJWT(value) { return String(item) }
                hide(encoded)
                return "\(name)=REDACTED"
            }
            components.percentEncodedQuery = items.joined(separator: "&")
        }
        if let fragment = components.percentEncodedFragment {
            hide(fragment)
            components.percentEncodedFragment = "REDACTED"
        }
        return (components.string ?? "REDACTED", hidden.filter { !$0.isEmpty })
    }

    private static func isSafe(_ encodedName: String) -> Bool {
        safeNames.contains((encodedName.removingPercentEncoding ?? encodedName).lowercased())
    }

    private static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }
}
