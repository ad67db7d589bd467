import Foundation
import ReelLibrary
import Testing

/// A JWT with the given claims (unsigned: only the payload matters here).
private func jwt(_ claims: String) -> String {
    func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    return "\(encode(#"{"alg":"HS256","typ":"JWT"}"#)).\(encode(claims)).c2lnbmF0dXJlc2VjcmV0"
}

private let expiry = Date(timeIntervalSince1970: 1_795_428_000)  // 2026-11-23T10:00:00Z

@Suite("signed URLs: expiry and redaction")
struct SignedURLTests {
    @Test("a JWT query token's exp is the expiry, and the token is redacted")
    func jwtToken() {
        let token = jwt(#"{"sub":"gen-123","exp":1795428000}"#)
        let url = SignedURL("https://cdn.runway.invalid/gen/a.mp4?_jwt=\(token)&v=2")
        #expect(url.expiresAt == expiry)
        #expect(url.redacted == "https://cdn.runway.invalid/gen/a.mp4?_jwt=REDACTED&v=2")
        #expect(!url.description.contains(token))
    }

    @Test("AWS presigned: X-Amz-Date plus X-Amz-Expires; signature and credential redacted")
    func aws() {
        let url = SignedURL(
            "https://bucket.s3.amazonaws.com/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAEXAMPLE%2F20261123%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261123T090000Z"
                + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef0123456789")
        #expect(url.expiresAt == expiry)
        #expect(!url.redacted.contains("abcdef0123456789") && !url.redacted.contains("AKIAEXAMPLE"))
        #expect(url.redacted.contains("X-Amz-Expires=3600"))
    }

    @Test("CloudFront Expires, Google X-Goog-Date/Expires and Azure se")
    func others() {
        #expect(
            SignedURL("https://d1.cloudfront.invalid/a.mp4?Expires=1795428000&Signature=s3cr3t&Key-Pair-Id=K1")
                .expiresAt == expiry)
        #expect(
            SignedURL(
                "https://storage.googleapis.com/b/a.mp4?X-Goog-Date=20261123T093000Z&X-Goog-Expires=1800"
                    + "&X-Goog-Signature=s3cr3t"
            ).expiresAt == expiry)
        let azure = SignedURL(
            "https://acct.blob.core.windows.invalid/c/a.mp4?sv=2022-11-02&se=2026-11-23T10:00:00Z&sig=s3cr3t")
        #expect(azure.expiresAt == expiry)
        #expect(!azure.redacted.contains("s3cr3t"))
    }

    @Test("a plain URL has no expiry and is kept as it is")
    func plain() {
        let url = SignedURL("https://example.invalid/clips/a.mp4?id=42")
        #expect(url.expiresAt == nil && !url.isExpired())
        #expect(url.redacted == "https://example.invalid/clips/a.mp4?id=42")
    }

    @Test("expired means the expiry has passed")
    func expired() {
        let url = SignedURL("https://d1.cloudfront.invalid/a.mp4?Expires=1795428000&Signature=x")
        #expect(url.isExpired(at: expiry.addingTimeInterval(1)))
        #expect(!url.isExpired(at: expiry.addingTimeInterval(-1)))
    }
}
