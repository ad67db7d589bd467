import Foundation

/// Percent-encoding as S3 and Signature V4 want it: every byte of the UTF-8 form except the unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` with upper-case hex; in paths `/` is kept.
enum S3Encoding {
    /// `text` with everything but unreserved characters percent-encoded (`/` too).
    static func encode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + hexDigits[Int(byte >> 4)] + hexDigits[Int(byte & 0x0F)]
            }
        }
        return result
    }

    /// An object key as a URL path: each segment encoded, the `/` between them kept.
    static func encodePath(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }.joined(separator: "/")
    }

    /// A URL's percent-encoded path re-encoded the canonical way (decoded, then encoded per segment); `/` if empty.
    static func canonicalPath(ofEncoded path: String) -> String {
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { encode(decode(String($0))) }
            .joined(separator: "/")
    }

    /// Query parameters as SigV4 signs them: names and values encoded, sorted by name then value, `name=value`
    /// joined by `&` (a parameter without a value gets `name=`).
    static func canonicalQuery(_ items: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = items.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// The parameters of a percent-encoded query, decoded (`+` stays `+`: S3 does not read it as a space).
    static func queryItems(ofEncoded query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(String(parts[0])), parts.count > 1 ? decode(String(parts[1])) : "")
        }
    }

    private static func decode(_ text: String) -> String { text.removingPercentEncoding ?? text }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
}
