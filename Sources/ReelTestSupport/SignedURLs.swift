import Foundation

/// The pieces of signed URLs as providers and clouds make them, for tests of expiry and redaction.
public enum SignedURLs {
    /// `20261123T090000Z`, as AWS and Google sign with (`X-Amz-Date`).
    public static func amzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// A JWT expiring at `exp`, ending in `signature` (not a real signature: only the payload matters).
    public static func jwt(exp: Date, signature: String = "c2VjcmV0c2lnbmF0dXJl") -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let claims = #"{"sub":"gen-1","exp":\#(Int(exp.timeIntervalSince1970))}"#
        return "\(encode(#"{"alg":"HS256","typ":"JWT"}"#)).\(encode(claims)).\(signature)"
    }
}
